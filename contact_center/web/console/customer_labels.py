"""What the customer screens call card fields, history actions, weekdays and duplicate reasons.
Marked for the catalogs here and translated in the templates (`_(label)`)."""

from __future__ import annotations

from contact_center.i18n import N_

FIELD_LABELS = {
    "name": N_("Name"),
    "organization_id": N_("Organization"),
    "job_title": N_("Role"),
    "address": N_("Address"),
    "area": N_("Area"),
    "company_size": N_("Company size"),
    "potential": N_("Potential"),
    "business_status": N_("Business status"),
    "transaction_status": N_("Transaction status"),
    "birthday": N_("Birthday"),
    "preferences": N_("Preferences"),
    "preferred_channel": N_("Preferred channel"),
    "language": N_("Language"),
    "notes": N_("Notes"),
    "tags": N_("Tags"),
    "tier": N_("Tier"),
    "is_key_account": N_("Key account"),
    "account_manager_id": N_("Account manager"),
    "route_territory": N_("Route"),
    "route_weekday": N_("Route day"),
    "latitude": N_("Latitude"),
    "longitude": N_("Longitude"),
    "lifecycle_stage": N_("Stage"),
    "phones": N_("Phones"),
    "emails": N_("Emails"),
    "sms_opted_out": N_("SMS opt-out"),
    "care_opted_out": N_("No care messages"),
    "messages": N_("Messages"),
}
ACTION_LABELS = {
    "created": N_("Created"),
    "updated": N_("Changed"),
    "sms_opt_out": N_("SMS consent"),
    "merged_in": N_("Another card merged in"),
    "merged_away": N_("Merged into another card"),
    "unmerged": N_("Merge undone"),
    "unmerged_out": N_("Merge undone (card split off)"),
    "duplicate_dismissed": N_("Not a duplicate"),
    "care_opt_out": N_("Care messages"),
    "outbound_erased": N_("Messages outside tickets erased"),
}
WEEKDAYS = {
    1: N_("Monday"),
    2: N_("Tuesday"),
    3: N_("Wednesday"),
    4: N_("Thursday"),
    5: N_("Friday"),
    6: N_("Saturday"),
    7: N_("Sunday"),
}
REASON_LABELS = {
    "same_phone_number": N_("Same phone number in another format"),
    "same_email_name": N_("Same email name at another domain"),
    "similar_name_in_organization": N_("Similar name in the same organization"),
    "similar_name": N_("Similar name"),
}
# A customer's language as stored (a language code); other codes are shown as written.
LANGUAGE_LABELS = {"en": N_("English"), "zh": N_("Chinese")}
