"""Unified social credit codes and patent numbers are checked with their check characters."""

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase

from fanxing.core.validators import parse_patent_number, uscc_check_char, validate_uscc


class UsccTest(SimpleTestCase):
    def test_it_accepts_real_codes(self) -> None:
        for code in ("91110000100017643K", "91440300708461136T"):
            validate_uscc(code)

    def test_it_names_a_wrong_check_character(self) -> None:
        with self.assertRaisesMessage(ValidationError, "校验位错误：应为 K"):
            validate_uscc("911100001000176430")

    def test_it_refuses_wrong_length_and_letters_not_used(self) -> None:
        with self.assertRaisesMessage(ValidationError, "应为18位"):
            validate_uscc("9111000010001764")
        with self.assertRaisesMessage(ValidationError, "不允许的字符"):
            validate_uscc("91110000100017643I")

    def test_the_check_character_is_computed(self) -> None:
        self.assertEqual(uscc_check_char("91440300708461136"), "T")


class PatentNumberTest(SimpleTestCase):
    def test_it_normalises_and_reads_the_kind(self) -> None:
        self.assertEqual(parse_patent_number("201710601862.3"), ("ZL201710601862.3", "invention"))
        self.assertEqual(parse_patent_number("ZL95115608.X"), ("ZL95115608.X", "invention"))
        number, kind = parse_patent_number("CN201920000001.4")
        self.assertEqual((number, kind), ("ZL201920000001.4", "utility"))

    def test_it_names_a_wrong_check_digit(self) -> None:
        with self.assertRaisesMessage(ValidationError, "校验位错误：应为 3"):
            parse_patent_number("ZL201710601862.4")

    def test_it_names_a_wrong_format(self) -> None:
        with self.assertRaisesMessage(ValidationError, "格式不正确"):
            parse_patent_number("US1234567")
