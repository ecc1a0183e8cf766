"""What the admin's model screens share when their saves and deletes go through services."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views import generic
from wagtail.log_actions import log

from .errors import AccessError, DomainError


class ServiceModelForm(WagtailAdminModelForm):
    """A model form that saves through ``create_service(actor, **fields)`` or
    ``update_service(actor, instance, **fields)``, given the form's fields: the form checks
    them, the service checks the rule and saves."""

    create_service = None
    update_service = None

    def save(self, commit=True):
        fields = {name: self.cleaned_data[name] for name in self._meta.fields}
        if self.instance.pk is None:
            self.instance = self.create_service(self.for_user, **fields)
        else:
            self.instance = self.update_service(self.for_user, self.instance, **fields)
        return self.instance


class ServiceErrorsMixin:
    """Turn a service's refusal during save into errors on the form it came from."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except DomainError as exc:
            for error in exc.errors:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)
        except AccessError:
            # Wagtail's permissions allowed it but the service's did not (a group edited by hand).
            raise PermissionDenied from None


class ServiceDeleteView(generic.DeleteView):
    """Deletes through ``delete_service(actor, instance)``; a refusal comes back as a message on
    the edit screen."""

    delete_service = None

    def delete_action(self):
        with transaction.atomic():
            log(instance=self.object, action="wagtail.delete", user=self.request.user, deleted=True)
            self.delete_service(self.request.user, self.object)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except DomainError as exc:
            messages.error(self.request, exc.message)
            return redirect(self.edit_url_name, self.object.pk)
        except AccessError:
            raise PermissionDenied from None
