"""Importing partners and contracts from a spreadsheet (CSV or XLSX).

Every row is validated through the same ModelForms as the pages, so an import can store nothing
that a person typing could not. Rows are plain dicts of strings (field name → cell text), which
keeps them JSON-serialisable for the session between preview and confirmation.
"""

import csv
import datetime
import io
import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import spreadsheets
from partners.forms import ContractForm, PartnerForm
from partners.models import Contract, Partner

MAX_ROWS = 2000
MAX_BYTES = 5 * 1024 * 1024

PARTNERS = "partners"
CONTRACTS = "contracts"
KINDS = {PARTNERS: _("partners"), CONTRACTS: _("contracts")}

# Columns that are not model form fields: references resolved to rows.
PARTNER_REF = "partner"
MCN_REF = "mcn"
RESPONSIBLE_REF = "responsible"

# An ID number is entered on the partner's page only: an import keeps its rows in the session
# between preview and confirm, and an ID number is never stored in clear (partners.fields).
PARTNER_COLUMNS = [name for name in PartnerForm.Meta.fields if name != "id_number"]
CONTRACT_COLUMNS = [PARTNER_REF] + [f for f in ContractForm.Meta.fields if f != "signed_document"]
COLUMNS = {PARTNERS: PARTNER_COLUMNS, CONTRACTS: CONTRACT_COLUMNS}

# Chinese column headers people actually use, mapped to field names.
CHINESE_HEADERS = {
    # partners
    "类型": "kind",
    "合作方类型": "kind",
    "状态": "status",
    "名称": "name",
    "合作方名称": "name",
    "达人昵称": "name",
    "公司名称": "company_name",
    "统一社会信用代码": "credit_code",
    "信用代码": "credit_code",
    "抖音号": "douyin_id",
    "百应id": "buyin_id",
    "所属mcn": "mcn",
    "mcn": "mcn",
    "联系人": "contact_name",
    "联系电话": "contact_phone",
    "通知地址": "notice_address",
    "送达地址": "notice_address",
    "通知邮箱": "notice_email",
    "通知即时通讯账号": "notice_messaging",
    "通知账号": "notice_messaging",
    "粉丝数": "followers",
    "类目": "category",
    "转化率": "conversion_rate",
    "转化率(%)": "conversion_rate",
    "口碑分": "reputation",
    "备注": "notes",
    # contracts
    "合作方": "partner",
    "合同编号": "number",
    "合同名称": "title",
    "书面合同": "written",
    "签订日期": "signed_on",
    "开始日期": "start_date",
    "结束日期": "end_date",
    "自动续约": "auto_renews",
    "续约期限(月)": "renewal_term_months",
    "不续约通知期": "non_renewal_period",
    "不续约通知期单位": "non_renewal_unit",
    "渠道": "channel",
    "店铺渠道": "channel",
    "负责人": "responsible",
    "合同金额": "contract_value",
    "计费方式": "fee_model",
    "月服务费": "monthly_fee",
    "佣金比例": "commission_rate",
    "佣金比例(%)": "commission_rate",
    "固定项目费": "project_fee",
    "预付金额": "prepaid_amount",
    "预付起始日": "prepaid_from",
    "预付截止日": "prepaid_to",
    "保证金类型": "deposit_kind",
    "保证金金额": "deposit_amount",
    "保证金持有方": "deposit_holder",
    "通知期": "notice_period",
    "通知期单位": "notice_unit",
    "通知期起算": "notice_counted_from",
    "首日计入": "first_day_counts",
    "遇休息日顺延": "roll_over_rest_days",
    "可任意解除": "convenience_termination",
    "解约费用名称": "convenience_fee_name",
    "违约金类型": "penalty_type",
    "违约金": "penalty_value",
    "违约金数值": "penalty_value",
    "解除权行使期限(天)": "termination_right_limit_days",
    "通知期条款": "clause_notice",
    "解除权条款": "clause_termination",
    "违约金条款": "clause_penalty",
    "期间计算条款": "clause_counting",
    "争议解决": "dispute_resolution",
    "争议解决方式": "dispute_resolution",
}
# The template's Chinese header for each field: the first alias listed above.
TEMPLATE_CHINESE = {}
for _header, _name in CHINESE_HEADERS.items():
    TEMPLATE_CHINESE.setdefault(_name, _header)

# Cell values people type instead of the stored choice values.
VALUE_ALIASES = {
    "kind": {
        "代运营": "agency",
        "代运营服务商": "agency",
        "服务商": "agency",
        "达人": "creator",
        "带货达人": "creator",
        "mcn机构": "mcn",
    },
    "status": {"合作中": "active", "已结束": "ended", "已归档": "archived"},
    "channel": {"抖店": "doudian", "抖音来客": "laike", "来客": "laike"},
    "fee_model": {
        "月费": "monthly",
        "佣金": "commission",
        "月费+佣金": "monthly_commission",
        "固定费用": "fixed",
    },
    "deposit_kind": {"无": "none", "保证金": "security", "定金": "earnest"},
    "deposit_holder": {"店铺": "shop", "合作方": "partner"},
    "notice_unit": {"日": "days", "天": "days", "月": "months", "工作日": "workdays"},
    "non_renewal_unit": {"日": "days", "天": "days", "月": "months", "工作日": "workdays"},
    "notice_counted_from": {"到达": "arrival", "送达": "arrival", "发出": "dispatch"},
    "penalty_type": {"无": "none", "固定金额": "fixed", "百分比": "percent", "月数": "months"},
}
TRUE_WORDS = {"1", "true", "yes", "y", "是", "有", "√", "x"}
FALSE_WORDS = {"0", "false", "no", "n", "否", "无"}


def _normalise_header(text: str) -> str:
    text = str(text or "").strip().lower()
    text = text.replace("（", "(").replace("）", ")").replace(" ", "")
    return text


def _field_for_header(header: str, kind: str) -> str | None:
    key = _normalise_header(header)
    if key in COLUMNS[kind]:
        return key
    name = CHINESE_HEADERS.get(key)
    return name if name in COLUMNS[kind] else None


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        # Spreadsheets store numbers as floats; 20000.0 → "20000", 0.15 → "0.15".
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value).strip()


def parse_table(name: str, raw: bytes, kind: str) -> list[dict[str, str]]:
    """The rows of an uploaded table as {field name: text}; raises ValidationError on a bad file."""
    # Bounded: size, rows, columns, cells, and an XLSX's declared unpacked size (issue 15).
    header, body = spreadsheets.read_table(name, raw, max_rows=MAX_ROWS, to_text=_cell_text)
    fields = [_field_for_header(cell, kind) for cell in header]
    required = (
        {"name", "kind"} if kind == PARTNERS else {"partner", "number", "title", "start_date"}
    )
    missing = required - set(fields)
    if missing:
        raise forms.ValidationError(
            _("These columns are missing: %(columns)s."),
            params={"columns": ", ".join(sorted(missing))},
        )
    if not body:
        raise forms.ValidationError(_("The file has a header row but no data rows."))
    if len(body) > MAX_ROWS:
        raise forms.ValidationError(
            _("At most %(max)d rows can be imported at once."), params={"max": MAX_ROWS}
        )
    rows = []
    for cells in body:
        row = {}
        for field_name, cell in zip(fields, cells, strict=False):
            if field_name:
                row[field_name] = cell
        rows.append(row)
    return rows


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=list(KINDS.items()))
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_("CSV (UTF-8, with or without BOM) or XLSX; the first row holds the headers."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    rows: list[dict[str, str]]

    def clean(self) -> dict:
        cleaned = super().clean()
        upload, kind = cleaned.get("file"), cleaned.get("kind")
        if upload is None or kind is None:
            return cleaned
        if upload.size > MAX_BYTES:
            self.add_error("file", _("The file is too large; the limit is 5 MB."))
            return cleaned
        try:
            self.rows = parse_table(upload.name, upload.read(), kind)
        except forms.ValidationError as error:
            self.add_error("file", error)
        return cleaned


# --- Validating rows ----------------------------------------------------------------------


@dataclass
class RowResult:
    line: int  # the spreadsheet's row number (the header is row 1)
    data: dict[str, str]
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, message)
    form: forms.ModelForm | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def _form_data(form_class: type[forms.ModelForm], row: dict[str, str]) -> dict[str, str]:
    """Cell texts as form data: aliases resolved, empty cells take the model's default."""
    model = form_class._meta.model
    data: dict[str, str] = {}
    for name in form_class._meta.fields:
        if name in (PARTNER_REF, MCN_REF, RESPONSIBLE_REF, "signed_document"):
            continue
        model_field = model._meta.get_field(name)
        text = row.get(name, "").strip()
        text = VALUE_ALIASES.get(name, {}).get(text.lower(), text)
        if model_field.get_internal_type() == "BooleanField":
            lowered = text.lower()
            if lowered in TRUE_WORDS:
                text = "true"
            elif lowered in FALSE_WORDS:
                text = "false"
            elif not text:
                text = "true" if model_field.get_default() else "false"
            # Anything else stays as typed and fails below.
        elif not text and model_field.has_default():
            default = model_field.get_default()
            text = "" if default is None else str(default)
        if text:
            data[name] = text
    return data


def _find_partner(reference: str, *, kinds: list[str] | None = None) -> tuple[Partner | None, str]:
    """A partner by name, credit code, Douyin ID or Buyin ID; (None, error) when not exactly one."""
    reference = reference.strip()
    if not reference:
        return None, gettext("Enter the partner.")
    matches = Partner.objects.filter(
        Q(name=reference)
        | Q(credit_code=reference.upper())
        | Q(douyin_id=reference)
        | Q(buyin_id=reference)
    )
    if kinds:
        matches = matches.filter(kind__in=kinds)
    found = list(matches[:2])
    if not found:
        return None, gettext("No partner “%(ref)s” in the register.") % {"ref": reference}
    if len(found) > 1:
        return None, gettext(
            "“%(ref)s” matches more than one partner; use the credit code or Douyin ID."
        ) % {"ref": reference}
    return found[0], ""


def _bound_form(kind: str, row: dict[str, str]) -> tuple[forms.ModelForm | None, list]:
    errors: list[tuple[str, str]] = []
    if kind == PARTNERS:
        data = _form_data(PartnerForm, row)
        if row.get(MCN_REF, "").strip():
            mcn, error = _find_partner(row[MCN_REF], kinds=[Partner.Kind.MCN])
            if mcn is None:
                errors.append((MCN_REF, error))
            else:
                data[MCN_REF] = str(mcn.pk)
        return PartnerForm(data), errors
    partner, error = _find_partner(row.get(PARTNER_REF, ""))
    if partner is None:
        return None, [(PARTNER_REF, error)]
    data = _form_data(ContractForm, row)
    username = row.get(RESPONSIBLE_REF, "").strip()
    if username:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            errors.append((RESPONSIBLE_REF, gettext("No user “%(name)s”.") % {"name": username}))
        else:
            data[RESPONSIBLE_REF] = str(user.pk)
    return ContractForm(data, partner=partner), errors


def validate_rows(kind: str, rows: list[dict[str, str]]) -> list[RowResult]:
    results = []
    seen_numbers: dict[tuple[int, str], int] = {}
    for index, row in enumerate(rows):
        result = RowResult(line=index + 2, data=row)
        form, result.errors = _bound_form(kind, row)
        result.form = form
        if form is not None and not form.is_valid():
            for column, messages in form.errors.items():
                label = column if column != "__all__" else "—"
                result.errors.extend((label, message) for message in messages)
        if isinstance(form, ContractForm) and form.is_valid():
            key = (form.partner.pk, form.cleaned_data["number"])
            if key in seen_numbers:
                result.errors.append(
                    (
                        "number",
                        gettext("The same contract number is already on row %(line)d.")
                        % {"line": seen_numbers[key]},
                    )
                )
            seen_numbers.setdefault(key, result.line)
        results.append(result)
    return results


class ImportRejected(Exception):
    def __init__(self, results: list[RowResult]) -> None:
        super().__init__("import rejected")
        self.results = results


def save_rows(kind: str, rows: list[dict[str, str]]) -> int:
    """Saves every row or none: raises ImportRejected (nothing saved) when any row is wrong."""
    with transaction.atomic():
        results = validate_rows(kind, rows)
        if not all(result.ok for result in results):
            raise ImportRejected(results)
        for result in results:
            result.form.save()
    return len(results)


def new_token() -> str:
    return secrets.token_urlsafe(16)


def template_csv(kind: str, *, chinese: bool = False) -> str:
    """A header row to fill in; UTF-8 with a BOM so that Excel opens Chinese text correctly."""
    columns = COLUMNS[kind]
    if chinese:
        columns = [TEMPLATE_CHINESE.get(name, name) for name in columns]
    out = io.StringIO()
    out.write("\ufeff")
    csv.writer(out).writerow(columns)
    return out.getvalue()


# The model and its verbose names, for the preview's column headings.
def column_labels(kind: str) -> list[tuple[str, str]]:
    model = Partner if kind == PARTNERS else Contract
    labels = []
    for name in COLUMNS[kind]:
        if name == PARTNER_REF:
            labels.append((name, str(Partner._meta.verbose_name)))
        else:
            labels.append((name, str(model._meta.get_field(name).verbose_name)))
    return labels
