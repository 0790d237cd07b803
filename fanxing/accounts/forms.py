"""Account forms: enterprise registration."""

from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password

from fanxing.accounts.models import User
from fanxing.core.validators import validate_uscc


class RegisterForm(forms.Form):
    username = forms.RegexField(
        label="用户名",
        max_length=30,
        regex=r"^[A-Za-z0-9_.-]{3,30}$",
        error_messages={"invalid": "用户名为3–30位字母、数字、下划线、点或短横线"},
    )
    display_name = forms.CharField(label="姓名", max_length=50)
    phone = forms.RegexField(
        label="手机", regex=r"^1[3-9]\d{9}$", error_messages={"invalid": "请填写11位手机号"}
    )
    enterprise_name = forms.CharField(label="企业名称", max_length=100)
    uscc = forms.CharField(
        label="统一社会信用代码", max_length=18, required=False, validators=[validate_uscc]
    )
    password = forms.CharField(label="密码", widget=forms.PasswordInput)
    password2 = forms.CharField(label="确认密码", widget=forms.PasswordInput)

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("该用户名已被使用")
        return username

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("password") and cleaned.get("password") != cleaned.get("password2"):
            self.add_error("password2", "两次输入的密码不一致")
        elif cleaned.get("password"):
            try:
                validate_password(cleaned["password"], User(username=cleaned.get("username", "")))
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class MemberForm(forms.Form):
    username = forms.RegexField(
        label="用户名",
        max_length=30,
        regex=r"^[A-Za-z0-9_.-]{3,30}$",
        error_messages={"invalid": "用户名为3–30位字母、数字、下划线、点或短横线"},
    )
    display_name = forms.CharField(label="姓名", max_length=50)
    role = forms.ChoiceField(
        label="角色",
        choices=[("org_staff", "机构工作人员"), ("org_admin", "机构管理员"), ("enterprise", "企业用户")],
    )
    password = forms.CharField(
        label="初始密码", widget=forms.PasswordInput, help_text="请通知本人首次登录后修改"
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("password"):
            try:
                validate_password(cleaned["password"], User(username=cleaned.get("username", "")))
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned
