"""Reading and validating workflow definitions (the shipped JSON file and stored versions).
Pure."""
