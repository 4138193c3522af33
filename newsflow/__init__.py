"""newsflow: a news-event warehouse (feeds -> articles -> actors and events)."""

import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())
