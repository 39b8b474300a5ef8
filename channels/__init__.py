"""Transports only: Twilio webhooks and senders, inbound and outbound mail. No business rules."""
