"""Valid form data for the register's forms; tests override one value at a time."""

from tests.terminations.factories import PDF_BYTES  # noqa: F401 - a real one-page PDF


def contract_data(**overrides) -> dict:
    data = {
        "number": "HT-2026-0100",
        "title": "抖店代运营服务合同",
        "written": "on",
        "signed_on": "2026-01-05",
        "start_date": "2026-01-10",
        "end_date": "2027-01-09",
        "channel": "doudian",
        "non_renewal_unit": "days",
        "contract_value": "240000.00",
        "fee_model": "monthly",
        "monthly_fee": "20000.00",
        "commission_rate": "0",
        "project_fee": "0",
        "prepaid_amount": "0",
        "deposit_kind": "none",
        "deposit_amount": "0",
        "deposit_holder": "partner",
        "notice_period": "30",
        "notice_unit": "days",
        "notice_counted_from": "arrival",
        "roll_over_rest_days": "on",
        "penalty_type": "none",
        "penalty_value": "0",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def partner_data(**overrides) -> dict:
    data = {
        "kind": "agency",
        "status": "active",
        "name": "云帆代运营",
        "company_name": "杭州云帆网络科技有限公司",
        "credit_code": "91330106MA2H3K4L5X",
        "notice_address": "杭州市滨江区",
        "notice_email": "notice@yunfan.example.com",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
