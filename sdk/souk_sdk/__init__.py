"""souk_sdk: the contract between Souk and its mini-apps.

A mini-app imports this package (and its own libraries), never the core.
"""

from . import ui
from .api import ApiError, ApiRequest, ApiRoute, api_route
from .business import BusinessClaim, BusinessInfo
from .commands import Action, Command, NoArgs, action, command
from .context import (
    AppUser,
    CommandInfo,
    Context,
    ConversationInfo,
    DemoWorld,
    Event,
    Press,
    PublicUser,
    Transaction,
)
from .data_rights import Erasure
from .errors import (
    FormErrors,
    NotDone,
    NotFound,
    PaymentError,
    PaymentsUnavailable,
    SoukError,
    UsageError,
)
from .hookspecs import hookimpl
from .manifest import SCOPE_DESCRIPTIONS, Manifest, Scope
from .miniapp import MiniApp
from .payments import (
    FundingResult,
    FundingSource,
    PaymentProvider,
    PaymentRequest,
    PaymentResult,
    RefundRequest,
    RefundResult,
)
from .subscriptions import (
    FROM_PROVIDER,
    FROM_SELF,
    PAYMENT_FAILED,
    PAYMENT_OUTCOMES,
    PAYMENT_REFUNDED,
    PAYMENT_SUCCEEDED,
    Subscription,
)

__version__ = "1.4.0"

__all__ = [
    "FROM_PROVIDER",
    "FROM_SELF",
    "PAYMENT_FAILED",
    "PAYMENT_OUTCOMES",
    "PAYMENT_REFUNDED",
    "PAYMENT_SUCCEEDED",
    "SCOPE_DESCRIPTIONS",
    "Action",
    "ApiError",
    "ApiRequest",
    "ApiRoute",
    "AppUser",
    "BusinessClaim",
    "BusinessInfo",
    "Command",
    "CommandInfo",
    "Context",
    "ConversationInfo",
    "DemoWorld",
    "Erasure",
    "Event",
    "FormErrors",
    "FundingResult",
    "FundingSource",
    "Manifest",
    "MiniApp",
    "NoArgs",
    "NotDone",
    "NotFound",
    "PaymentError",
    "PaymentProvider",
    "PaymentRequest",
    "PaymentResult",
    "PaymentsUnavailable",
    "Press",
    "PublicUser",
    "RefundRequest",
    "RefundResult",
    "Scope",
    "SoukError",
    "Subscription",
    "Transaction",
    "UsageError",
    "__version__",
    "action",
    "api_route",
    "command",
    "hookimpl",
    "ui",
]
