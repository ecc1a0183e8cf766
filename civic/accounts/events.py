from django.dispatch import Signal

# user: the new User, already a resident
user_signed_up = Signal()

# user: the User, already emptied of personal data (``services.delete_account``). Sent inside
# the deleting transaction, so each app's clean-up commits or fails together with the deletion.
account_deleted = Signal()

# user: whose data to export. Each receiver returns a dict of sections (name → JSON-ready data)
# that ``services.export_personal_data`` merges, so every app exports what it alone holds.
personal_data_requested = Signal()
