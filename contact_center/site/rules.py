"""What each site setting may be: validation of submitted values. Pure."""
