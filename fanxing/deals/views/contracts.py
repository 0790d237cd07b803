"""Technology contract pages: the list with its totals and export, the detail, the contract form with its
parties, and the forms of the registration, payments received, the schedule and direct costs.

Reads go through the selectors (a contract the user may not read is a 404); writes through the services,
which check the permission again and name the field of any bad input, writing nothing."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from fanxing.accounts import permissions
from fanxing.core.auditlog import entries_of
from fanxing.core.io import export_response
from fanxing.core.rendering import paginate, query_without_page, render_page
from fanxing.deals import forms as contract_forms
from fanxing.deals.models import TechContract
from fanxing.deals.selectors import (
    contract_filter,
    contract_get,
    contract_list,
    contract_sums,
    contract_years,
)
from fanxing.deals.services import (
    contract_register,
    contract_save,
    cost_add,
    instalment_add,
    payment_add,
    total_of,
)

SECTION = "contracts"


def detail_url(contract: TechContract) -> str:
    return reverse("deals:contract_detail", args=[contract.pk])


def may_keep_contracts(user: Any) -> bool:
    """Who keeps contracts on record: the bureau, and organisation admins and staff for their own."""
    return permissions.can_create_contract_for(user, getattr(user, "organisation_id", None))


@login_required
def contract_list_view(request: HttpRequest) -> HttpResponse:
    visible = contract_list(request.user)
    form = contract_forms.ContractFilterForm(request.GET, user=request.user, years=contract_years(visible))
    qs = contract_filter(visible, form.filters())
    fmt = request.GET.get("export")
    if fmt in ("xlsx", "csv"):
        return export_response("contracts", qs, request.user, fmt=fmt)
    context = {
        "form": form,
        "page": paginate(request, qs),
        "sums": contract_sums(qs),
        "query": query_without_page(request),
        "can_create": may_keep_contracts(request.user),
        "section": SECTION,
    }
    return render_page(request, "deals/contract_list.html", context, partial="deals/_contract_results.html")


@login_required
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contract = contract_get(request.user, pk)
    scheduled, received = total_of(contract.instalments), total_of(contract.payments)
    context = {
        "contract": contract,
        "can_edit": permissions.can_edit_contract(request.user, contract),
        "scheduled": scheduled,
        "received": received,
        "progress": min(100, round(received * 100 / contract.amount)) if contract.amount else 0,
        "section": SECTION,
    }
    if permissions.can_view_audit(request.user) or permissions.is_member(
        request.user, contract.organisation_id
    ):
        context["audit_entries"] = entries_of(contract)
    return render(request, "deals/contract_detail.html", context)


@login_required
def contract_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Create a contract (pk None) or change one, with its parties and achievements."""
    user = request.user
    contract = contract_get(user, pk) if pk else TechContract()
    allowed = permissions.can_edit_contract(user, contract) if pk else may_keep_contracts(user)
    if not allowed:
        raise PermissionDenied("只能登记或修改本机构的技术合同")
    data = request.POST if request.method == "POST" else None
    form = contract_forms.ContractForm(data, instance=contract, user=user)
    parties = contract_forms.party_formset(data, contract, user)
    if data is not None and form.is_valid() and parties.is_valid():
        try:
            saved = contract_save(
                by=user, contract=contract if pk else None, parties=parties.parties(), **form.service_args()
            )
        except ValidationError as error:
            contract_forms.show_service_error(form, error, parties)
        else:
            messages.success(request, f"已保存技术合同 {saved.number}")
            return redirect(detail_url(saved))
    context = {"form": form, "parties": parties, "contract": contract, "section": SECTION}
    return render(request, "deals/contract_form.html", context)


def contract_action(
    request: HttpRequest,
    pk: int,
    *,
    form_class: type[forms.Form],
    title: str,
    save: Callable[[Any, TechContract, dict[str, Any]], Any],
    done: str,
    initial: Callable[[TechContract], dict[str, Any]] | None = None,
) -> HttpResponse:
    """A small form about one contract (registration, payment, instalment, cost): check, save, report."""
    contract = contract_get(request.user, pk)
    if not permissions.can_edit_contract(request.user, contract):
        raise PermissionDenied("只能修改本机构的技术合同")
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                save(request.user, contract, form.cleaned_data)
            except ValidationError as error:
                contract_forms.show_service_error(form, error)
            else:
                messages.success(request, done)
                return redirect(detail_url(contract))
    else:
        form = form_class(initial=initial(contract) if initial else None)
    context = {"form": form, "contract": contract, "title": title, "section": SECTION}
    return render(request, "deals/contract_action.html", context)


@login_required
def contract_register_view(request: HttpRequest, pk: int) -> HttpResponse:
    return contract_action(
        request,
        pk,
        form_class=contract_forms.RegistrationForm,
        title="技术合同认定登记",
        save=lambda by, contract, data: contract_register(by=by, contract=contract, **data),
        done="已保存登记信息",
        initial=contract_forms.registration_initial,
    )


@login_required
def payment_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    return contract_action(
        request,
        pk,
        form_class=contract_forms.PaymentForm,
        title="记录到账",
        save=lambda by, contract, data: payment_add(by=by, contract=contract, **data),
        done="已记录到账",
    )


@login_required
def instalment_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    return contract_action(
        request,
        pk,
        form_class=contract_forms.InstalmentForm,
        title="添加付款计划",
        save=lambda by, contract, data: instalment_add(by=by, contract=contract, **data),
        done="已添加付款计划",
    )


@login_required
def cost_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    return contract_action(
        request,
        pk,
        form_class=contract_forms.CostForm,
        title="记录直接费用",
        save=lambda by, contract, data: cost_add(by=by, contract=contract, fields=data),
        done="已记录直接费用",
    )
