"""Back office: feedback on matches and the weights it taught."""

from django.contrib import admin

from fanxing.matching.models import FactorWeights, MatchFeedback


@admin.register(MatchFeedback)
class MatchFeedbackAdmin(admin.ModelAdmin):
    list_display = ["user", "demand", "achievement", "verdict", "created_at"]
    list_filter = ["verdict"]


@admin.register(FactorWeights)
class FactorWeightsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "updates", "updated_at"]
