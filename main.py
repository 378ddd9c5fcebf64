"""Composes the app: settings, database, services, routes and pages; then runs it."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys
from dataclasses import dataclass

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse
from nicegui import app, background_tasks, ui
from nicegui import core as nicegui_core
from sqlalchemy.engine import Engine
from starlette.types import ASGIApp

from agenda.live import LiveAgenda
from agenda.schedule import AgendaJobs
from agenda.service import AgendaService
from core.api import Health, method_not_allowed
from core.assets import ASSETS
from core.clock import ShiftedClock, today, use_clock
from core.database import create_db_engine, database_status, migrate
from core.lanes import serve_in_front
from core.limits import HeadDeadlineProtocol, raise_descriptor_limit
from core.memory import QuietCollector, settle_after_start
from core.publisher import Publisher, Topic
from core.settings import Settings, SettingsError, load_settings
from events.api import event_api
from events.joining import join_url
from events.phone_page import phone_page_router
from events.service import EventService
from facilitator.account_admin import register_account_admin_page
from facilitator.accounts import AccountError, AccountService
from facilitator.control_room import register_control_room
from facilitator.demo import Demo, ensure_demo
from facilitator.event_list import register_event_list_page
from facilitator.event_page import register_event_page
from facilitator.event_removal import close_screens, register_deleted_page
from facilitator.guard import SignInGuard
from facilitator.network_page import register_network_pages
from facilitator.printable import register_printable_agenda
from facilitator.projector import register_projector_page
from facilitator.signin import register_signin_pages
from facilitator.summary_preview import summary_previews
from networks.next_meeting import MeetingPlanner
from networks.report import NetworkReports
from networks.service import NetworkService
from polls.api import participant_api
from polls.ballot_box import BallotBox
from polls.editing import PollEditor
from polls.participants import ParticipantService
from polls.service import PollService
from polls.stream import PhoneBroadcast
from polls.vote_route import VoteDesk, VoteRoute, document_vote_route
from workshops.bundled import install_bundled_data
from workshops.catalogues import CatalogueService
from workshops.delivery import MailServer, SummaryMail
from workshops.event_removal import EventRemoval
from workshops.event_report import EventReports
from workshops.group_api import group_api
from workshops.group_work import GroupWorkService
from workshops.rehearsal import Rehearsal
from workshops.setup import EventSetup
from workshops.status_links import StatusLinks
from workshops.status_page import status_pages
from workshops.summaries import SummaryService
from workshops.summary_links import SummaryLinks
from workshops.summary_page import summary_pages
from workshops.summary_pdf import summary_fonts

# Phones hold event streams open for as long as the page is open; on shutdown, give requests in
# flight this long, then end the streams (the phones reconnect by themselves).
SHUTDOWN_GRACE_SECONDS = 2
MAIL_CHECK_SECONDS = 30
PUBLIC_PATHS = ("/api/", "/join", "/assets/phone/", "/favicon.ico", "/summary/", "/status/", "/healthz", "/docs",
                "/openapi.json")


@dataclass(frozen=True)
class Services:
    settings: Settings
    engine: Engine
    publisher: Publisher
    accounts: AccountService
    events: EventService
    setup: EventSetup
    agenda: AgendaService
    live: LiveAgenda
    participants: ParticipantService
    polls: PollService
    groups: GroupWorkService
    catalogues: CatalogueService
    summaries: SummaryService
    summary_links: SummaryLinks
    summary_mail: SummaryMail
    reports: EventReports
    poll_editor: PollEditor
    ballot_box: BallotBox
    scheduler: AsyncIOScheduler
    jobs: AgendaJobs
    rehearsal: Rehearsal
    removal: EventRemoval
    networks: NetworkService
    planner: MeetingPlanner
    status_links: StatusLinks
    network_reports: NetworkReports


def build_services(settings: Settings) -> Services:
    engine = create_db_engine(settings.database_url)
    migrate(engine)
    install_bundled_data(engine)
    publisher = Publisher()  # the facilitators' screens hear of every change through it
    live = LiveAgenda(engine, settings.zone, publisher)
    broadcast = PhoneBroadcast(settings.phone_heartbeat_seconds)
    polls = PollService(engine, broadcast, publisher)
    live.on_item_start(polls.open_with_item)  # polls open and close with their agenda item
    live.on_item_end(polls.close_with_item)
    groups = GroupWorkService(engine, broadcast, is_live=lambda event_id: live.current_kind(event_id) == "group_work")
    live.on_item_start(groups.start_with_item)  # a round opens the choices; phones open or close the form
    live.on_item_end(groups.end_with_item)
    live.on_item_time_up(groups.end_with_item)
    groups.on_change(lambda event_id: publisher.publish(event_id, Topic.GROUPS))
    scheduler = AsyncIOScheduler(timezone=settings.zone)
    events, participants = EventService(engine, publisher), ParticipantService(engine, publisher)
    summaries, summary_links = SummaryService(engine, events, groups), SummaryLinks(engine)
    jobs, removal = AgendaJobs(scheduler, engine, live), EventRemoval(engine, live)
    removal.on_deleted(jobs.forget)  # a deleted event's scheduled actions go with it
    mail_server = MailServer(settings.smtp_host, settings.smtp_port, settings.smtp_security, settings.smtp_user,
                             settings.smtp_password.get_secret_value(), settings.smtp_sender)
    return Services(
        settings=settings,
        engine=engine,
        publisher=publisher,
        accounts=AccountService(engine, settings.session_hours),
        events=events,
        setup=EventSetup(engine),
        agenda=AgendaService(engine),
        live=live,
        participants=participants,
        polls=polls,
        groups=groups,
        catalogues=CatalogueService(engine, on_choices_changed=groups.changed),
        summaries=summaries,
        summary_links=summary_links,
        summary_mail=SummaryMail(engine, summaries, summary_links, mail_server, settings.summary_url),
        reports=EventReports(events, participants, polls, groups),
        poll_editor=PollEditor(engine, publisher),
        ballot_box=BallotBox(engine, publisher),
        scheduler=scheduler,
        jobs=jobs,
        rehearsal=Rehearsal(engine, live, participants, polls, groups, publisher),
        removal=removal,
        networks=NetworkService(engine),
        planner=MeetingPlanner(engine),
        status_links=StatusLinks(engine, groups, settings.zone),
        network_reports=NetworkReports(engine, NetworkService(engine)),
    )


def public_app(services: Services) -> ASGIApp:
    """What needs no sign-in: the phones' page and API, the summaries' private pages, the health check and
    the API's documentation. No NiceGUI in the way."""
    phones = FastAPI(title="Dialogmøte", summary="The phones' API", docs_url="/docs", redoc_url=None)
    phones.include_router(event_api(services.events))
    phones.include_router(participant_api(services.events, services.participants, services.polls))
    phones.include_router(group_api(services.events, services.participants, services.groups))
    phones.include_router(summary_pages(services.summary_links, services.summaries))
    phones.include_router(status_pages(services.status_links, services.settings.zone))
    phones.include_router(phone_page_router(ASSETS / "phone"))
    phones.add_middleware(GZipMiddleware, minimum_size=1000)  # leaves event streams and compressed files alone
    phones.add_exception_handler(405, method_not_allowed)

    @phones.get("/healthz", response_model=Health, responses={503: {"model": Health}})
    def healthz() -> JSONResponse:
        database = database_status(services.engine)
        return JSONResponse({"status": "ok" if database == "ok" else "degraded", "database": database,
                             "scheduled_jobs": len(services.scheduler.get_jobs())},
                            status_code=200 if database == "ok" else 503)

    document_vote_route(phones)
    return VoteRoute(VoteDesk(services.participants, services.polls, services.ballot_box), phones)


def register_routes(services: Services) -> None:
    register_signin_pages(services.accounts)
    register_account_admin_page(services.accounts)
    register_event_list_page(services.setup, services.events, services.settings.zone)
    register_event_page(services.events, services.setup, services.agenda, services.live, services.polls,
                        services.poll_editor, services.settings, services.catalogues, services.summaries,
                        services.summary_links, services.summary_mail, services.reports, services.accounts,
                        services.removal)
    register_network_pages(services.networks, services.planner, services.events, services.settings.zone,
                           services.status_links, services.settings.summary_url, services.network_reports)
    register_deleted_page()
    services.removal.on_deleted(close_screens)  # open pages of a deleted event say it is gone
    register_control_room(services.publisher, services.live, services.events, services.participants, services.polls,
                          services.groups, services.rehearsal, services.accounts)
    register_projector_page(services.publisher, services.live, services.events, services.polls, services.groups,
                            services.settings)
    register_printable_agenda(services.live)
    app.include_router(summary_previews(services.summaries))
    serve_in_front(app, public_app(services), PUBLIC_PATHS)
    app.add_middleware(SignInGuard, accounts=services.accounts, may_facilitate=services.events.may_facilitate,
                       may_see_network=services.networks.may_see)

    def start_background_work() -> None:
        services.polls.broadcast.attach(asyncio.get_running_loop())
        services.publisher.attach(asyncio.get_running_loop())
        services.ballot_box.start()
        services.scheduler.start()
        services.jobs.rebuild_all()
        services.summary_mail.recover_after_restart()
        if services.summary_mail.configured:  # queued summaries go out when their time has come
            services.scheduler.add_job(services.summary_mail.send_due, "interval", seconds=MAIL_CHECK_SECONDS,
                                       id="summary-mail", replace_existing=True, max_instances=1, coalesce=True)
        asyncio.get_running_loop().run_in_executor(None, summary_fonts)  # ready before the first summary
        settle_after_start()
        background_tasks.create(QuietCollector(services.ballot_box.stored_within).run_forever(),
                                name="quiet-collection")

    app.on_startup(start_background_work)
    app.on_shutdown(lambda: services.scheduler.shutdown(wait=False))
    app.on_shutdown(services.ballot_box.stop)


def print_addresses(settings: Settings, demo: Demo | None) -> None:
    lines = [f"Facilitator:  {settings.facilitator_url}/events  (also {settings.public_url})"]
    if demo is not None:
        event = demo.event
        lines += [
            f"Demo sign-in: {demo.email} / {demo.password}",
            f"Demo event:   {settings.facilitator_url}/events/{event.id}",
            f"Control room: {settings.facilitator_url}/events/{event.id}/control",
            f"Projector:    {settings.facilitator_url}/events/{event.id}/projector",
            f"Phones join:  {join_url(settings.public_url, event.join_code)}  (code {event.join_code})",
        ]
    print("\n".join(lines), flush=True)


def create_facilitator(settings: Settings, email: str, name: str, is_admin: bool) -> int:
    services = build_services(settings)
    password = getpass.getpass("Password: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
    try:
        services.accounts.create(email=email, password=password, name=name, is_admin=is_admin)
    except AccountError as error:
        print(f"Could not create the account: {error}", file=sys.stderr)
        return 1
    print(f"Created the {'administrator' if is_admin else 'facilitator'} account {email}.")
    return 0


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Dialogue meetings and learning networks")
    commands = parser.add_subparsers(dest="command")
    serve = commands.add_parser("serve", help="run the web app (the default)")
    serve.add_argument("--demo", action="store_true", help="create a demo event on an empty database")
    create = commands.add_parser("create-facilitator", help="create a facilitator account")
    create.add_argument("email")
    create.add_argument("--name", default="")
    create.add_argument("--admin", action="store_true", help="the account manages the other accounts")
    parser.set_defaults(command="serve", demo=False)
    return parser.parse_args(argv)


def main() -> None:
    simulated = bool(os.environ.get("NICEGUI_USER_SIMULATION"))
    arguments = parse_arguments([] if simulated else sys.argv[1:])
    try:
        settings = load_settings()
    except SettingsError as error:
        print(error, file=sys.stderr)
        sys.exit(2)
    if arguments.command == "create-facilitator":
        sys.exit(create_facilitator(settings, arguments.email, arguments.name, arguments.admin))
    if settings.clock_start is not None:
        use_clock(ShiftedClock(settings.clock_start))
    services = build_services(settings)
    register_routes(services)
    demo = ensure_demo(services.setup, services.events, services.accounts, day=today(settings.zone)) \
        if arguments.demo else None
    print_addresses(settings, demo)
    raise_descriptor_limit()
    nicegui_core.sio.eio.cors_allowed_origins = None  # engine.io's default: only this server's own pages
    ui.run(
        host=settings.host,
        port=settings.port,
        title="Dialogmøte",
        language="nb-NO",
        storage_secret=settings.secret_key.get_secret_value(),
        reload=False,
        show=False,
        show_welcome_message=False,
        timeout_graceful_shutdown=SHUTDOWN_GRACE_SECONDS,
        http=HeadDeadlineProtocol,
    )


if __name__ in {"__main__", "__mp_main__"}:
    main()
