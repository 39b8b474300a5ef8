"""`python -m contact_center` is the same as the `contact-center` command."""

from contact_center.cli import main

raise SystemExit(main())
