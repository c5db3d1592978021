from crispy_forms.helper import FormHelper
from django import forms

from core.models import ShopProfile


class ShopProfileForm(forms.ModelForm):
    class Meta:
        model = ShopProfile
        fields = [
            "legal_name",
            "credit_code",
            "address",
            "contact_name",
            "contact_phone",
            "contact_email",
            "bank_name",
            "bank_account_name",
            "bank_account_number",
            "dispute_forum",
            "shop_name",
            "shop_id",
            "seal_image",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
