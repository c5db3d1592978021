"""Writes to the register that need more than a form's save: a contract's signed document is
added once and replaced only by a manager, with a record of both files (issue 15)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.forms import ModelForm

from core import roles
from core.file_hashes import sha256_of, stored_sha256
from partners.models import Contract, ContractDocumentReplacement


@transaction.atomic
def contract_save(*, form: ModelForm, by) -> Contract:
    """Save a validated ContractForm. Replacing a stored signed document needs a manager; the old
    file stays in storage and a ContractDocumentReplacement row keeps its name and both hashes."""
    contract: Contract = form.instance
    upload = form.cleaned_data.get("signed_document")
    replaced = None
    if contract.pk and isinstance(upload, UploadedFile):
        stored = Contract.objects.select_for_update().get(pk=contract.pk).signed_document
        if stored:
            if not roles.is_manager(by):  # the form refuses first; this is the server's guard
                raise PermissionDenied
            replaced = {"old_name": stored.name, "old_sha256": stored_sha256(stored)}
            replaced["new_sha256"] = sha256_of(upload)
    contract = form.save()
    if replaced:
        ContractDocumentReplacement.objects.create(
            contract=contract,
            new_name=contract.signed_document.name,
            replaced_by=by if getattr(by, "is_authenticated", False) else None,
            **replaced,
        )
    return contract
