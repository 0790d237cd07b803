"""Reads on leads and technology contracts, with the visibility rules of fanxing.accounts.permissions."""

from fanxing.deals.selectors.contracts import (
    ContractFilters,
    ContractTotals,
    contract_filter,
    contract_get,
    contract_list,
    contract_received,
    contract_sums,
    contract_totals,
    contract_years,
)

__all__ = [
    "ContractFilters",
    "ContractTotals",
    "contract_filter",
    "contract_get",
    "contract_list",
    "contract_received",
    "contract_sums",
    "contract_totals",
    "contract_years",
]
