"""The only way a termination case changes. Views call these functions; see DESIGN.md.

Each submodule lists its public names in ``__all__``; they are all available from here.
"""

from terminations.services import (
    breach,
    cases,
    commissions,
    deliveries,
    emails,
    handover,
    notices,
    plan_review,
    recheck,
    settlement,
)
from terminations.services._base import (
    TransitionError,
    case_warnings,
    lock_case,
    record_event,
    require_editor,
    require_manager,
)
from terminations.services.breach import *  # noqa: F403
from terminations.services.cases import *  # noqa: F403
from terminations.services.commissions import *  # noqa: F403
from terminations.services.deliveries import *  # noqa: F403
from terminations.services.emails import *  # noqa: F403
from terminations.services.handover import *  # noqa: F403
from terminations.services.notices import *  # noqa: F403
from terminations.services.plan_review import *  # noqa: F403
from terminations.services.recheck import *  # noqa: F403
from terminations.services.settlement import *  # noqa: F403

__all__ = [
    "TransitionError",
    "case_warnings",
    "lock_case",
    "record_event",
    "require_editor",
    "require_manager",
    *breach.__all__,
    *cases.__all__,
    *commissions.__all__,
    *deliveries.__all__,
    *emails.__all__,
    *handover.__all__,
    *notices.__all__,
    *plan_review.__all__,
    *recheck.__all__,
    *settlement.__all__,
]
