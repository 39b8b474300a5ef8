"""Which step a case may move to and what it needs to leave its step. Pure."""
