"""Reads on leads and technology contracts, with the visibility rules of fanxing.accounts.permissions."""

from fanxing.deals.selectors.contracts import (
    ContractTotals,
    contract_get,
    contract_list,
    contract_received,
    contract_totals,
)

__all__ = ["ContractTotals", "contract_get", "contract_list", "contract_received", "contract_totals"]
