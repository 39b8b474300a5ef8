"""contact-center: inbound calls, SMS and email turned into tickets tied to customer records."""
