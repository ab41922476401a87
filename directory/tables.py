"""Every table of the database on one metadata: what Alembic and the schema test compare.

Each capability keeps its own tables (`directory.<capability>.models`); importing them here
registers them on `directory.db.Base.metadata`.
"""

from __future__ import annotations

from directory import jobs, search_index
from directory.accounts import models as accounts
from directory.catalogue import models as catalogue
from directory.db import Base
from directory.notifications import models as notifications
from directory.reference import models as reference
from directory.signals import models as signals
from directory.watches import models as watches

METADATA = Base.metadata
# The modules above are imported for their tables; naming them keeps the imports explicit.
TABLE_MODULES = (
    accounts,
    catalogue,
    jobs,
    notifications,
    reference,
    search_index,
    signals,
    watches,
)
