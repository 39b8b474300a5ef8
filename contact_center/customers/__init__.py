"""Customer info cards, organizations, phone/email identities and the customer side of merges."""

from contact_center.customers import merging
from contact_center.customers.consent import Keyword, sms_keyword
from contact_center.customers.identities import normalize_email, normalize_phone, phone_or_none
from contact_center.customers.model import (
    Customer,
    Identity,
    IdentityKind,
    LifecycleStage,
    NewCustomer,
    Organization,
    Tier,
)
from contact_center.customers.service import (
    ResolvedCustomer,
    account_of,
    create_customer,
    create_organization,
    find_or_create_organization,
    get_customer,
    get_organization,
    insert_new_customer,
    list_organizations,
    load_customer,
    normalize_identities,
    resolve_by_identity,
    search_customers,
    set_sms_opt_out,
    update_customer,
    update_organization,
)

__all__ = [
    "Customer",
    "Identity",
    "IdentityKind",
    "Keyword",
    "LifecycleStage",
    "NewCustomer",
    "Organization",
    "ResolvedCustomer",
    "Tier",
    "account_of",
    "create_customer",
    "create_organization",
    "find_or_create_organization",
    "get_customer",
    "get_organization",
    "insert_new_customer",
    "list_organizations",
    "load_customer",
    "merging",
    "normalize_email",
    "normalize_identities",
    "normalize_phone",
    "phone_or_none",
    "resolve_by_identity",
    "search_customers",
    "set_sms_opt_out",
    "sms_keyword",
    "update_customer",
    "update_organization",
]
