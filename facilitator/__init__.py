"""The facilitator's screens: sign-in, event set-up, control room, projector."""
