from django.dispatch import Signal

# user: the new User, already a resident
user_signed_up = Signal()
