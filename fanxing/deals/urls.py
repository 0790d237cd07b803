from django.urls import path

from fanxing.deals.views import contracts, leads
from fanxing.deals.views import rewards as reward_views

app_name = "deals"
urlpatterns = [
    path("leads/", leads.leads, name="leads"),
    path("leads/new/", leads.lead_create_from_match, name="lead_create"),
    path("leads/add/", leads.lead_new, name="lead_new"),
    path("leads/<int:pk>/", leads.lead_detail, name="lead"),
    path("leads/<int:pk>/move/", leads.lead_move_view, name="lead_move"),
    path("leads/<int:pk>/activity/", leads.lead_activity_view, name="lead_activity"),
    path("leads/<int:pk>/assign/", leads.lead_assign_view, name="lead_assign"),
    path("contracts/", contracts.contract_list_view, name="contracts"),
    path("contracts/new/", contracts.contract_edit, name="contract_create"),
    path("contracts/<int:pk>/", contracts.contract_detail, name="contract_detail"),
    path("contracts/<int:pk>/edit/", contracts.contract_edit, name="contract_edit"),
    path("contracts/<int:pk>/register/", contracts.contract_register_view, name="contract_register"),
    path("contracts/<int:pk>/payments/new/", contracts.payment_add_view, name="contract_payment"),
    path("contracts/<int:pk>/instalments/new/", contracts.instalment_add_view, name="contract_instalment"),
    path("contracts/<int:pk>/costs/new/", contracts.cost_add_view, name="contract_cost"),
    path("contracts/<int:pk>/reward/", reward_views.contract_reward, name="contract_reward"),
    path("rewards/<int:pk>/export/", reward_views.distribution_export, name="distribution_export"),
    path("rewards/payouts/", reward_views.payouts, name="payouts"),
    path("rewards/payouts/<int:pk>/paid/", reward_views.payout_paid, name="payout_paid"),
]
