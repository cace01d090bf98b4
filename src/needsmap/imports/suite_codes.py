"""Short field codes of ERP suites whose column names are codes, not words.

JD Edwards EnterpriseOne names a column by a two-letter table prefix and a data item of its data dictionary
(``ABAN8``: the address book's ``AN8``, the address number; ``ALCTY1``: the address's ``CTY1``, the city);
Infor M3 names a field by four letters, with a two-letter table prefix in the tables (``OKCUNO``) and without
it in its APIs (``CUNO``, the customer number); Microsoft Dynamics GP by up to eight letters (``CUSTNMBR``, the
customer number; ``ADRSCODE``, the address code). No spelling of a word reads them, so the matcher looks such a
name up here when nothing else reads it (:func:`suite_code`): each code as the suite's data dictionary defines
it, mapped to the catalog attribute an architect maps it to. The codes were written from the suites' public
data dictionaries (JD Edwards' data item glossary, Infor M3's field help, the Dynamics GP table reference),
the customer-related items only.
"""

from __future__ import annotations

import re

#: JD Edwards EnterpriseOne data items -> catalog attribute (address book F0101, who's who F0111, addresses by
#: date F0116, electronic addresses F01151, phones F0115, customer master F03012).
JDE_DATA_ITEMS: dict[str, str] = {
    "AN8": "customer_id",  # address number: the party's key in every table
    "ALKY": "external_reference",  # long address number
    "ALPH": "full_name",  # alpha name: the party's name as sorted
    "ALP1": "full_name",  # secondary alpha name
    "MLNM": "full_name",  # mailing name
    "MLN1": "full_name",  # secondary mailing name
    "GNNM": "first_name",
    "MDNM": "middle_name",
    "SRNM": "last_name",
    "SLNM": "salutation",
    "NICK": "preferred_name",
    "GEND": "gender",
    "ATTL": "job_title",
    "DDATE": "date_of_birth",
    "DMON": "date_of_birth",
    "DYR": "birth_year",
    "REM1": "customer_notes",
    "RMK": "customer_notes",
    "TAX": "vat_number",  # tax id
    "TX2": "national_id_number",  # additional individual tax id
    "TAXC": "customer_type",  # person/corporation code
    "DUNS": "duns_number",
    "NOE": "number_of_employees",
    "SIC": "industry_code",
    "LNGP": "preferred_language",
    "AT1": "relationship_type",  # search type: customer, supplier, employee...
    "ATE": "is_employee",
    "ADD1": "street_address",
    "ADD2": "address_line_2",
    "ADD3": "address_line_2",
    "ADD4": "address_line_2",
    "ADDZ": "postal_code",
    "CTY1": "city",
    "ADDS": "region",
    "CTR": "country",
    "COUN": "district",
    "EFTB": "address_valid_from",
    "EMAL": "email",
    "EHIER": "contact_point_primary",
    "ECLASS": "email_type",
    "PH1": "phone",
    "AR1": "phone",  # the phone's area code
    "PHTP": "phone_type",
    "PCM": "preferred_contact_channel",
    "CRCD": "preferred_currency",
    "ACL": "credit_limit",
    "TRAR": "payment_terms_days",
    "DAOJ": "customer_since",  # date account opened
    "DFIJ": "first_order_date",  # date of first invoice
    "DLIJ": "last_order_date",  # date of last invoice
    "CMC1": "account_manager",  # commission code: the salesperson
    "CMC2": "account_manager",
    "UPMJ": "record_updated_at",  # date updated
    "UPMT": "record_updated_at",  # time updated
    "DEL1": "delivery_instructions",
    "DEL2": "delivery_instructions",
}
#: Infor M3 fields (customer master OCUSMA, customer addresses OCUSAD) -> catalog attribute.
M3_FIELDS: dict[str, str] = {
    "CUNO": "customer_id",  # customer number
    "CUNM": "full_name",  # customer name
    "CUA1": "street_address",
    "CUA2": "address_line_2",
    "CUA3": "address_line_2",
    "CUA4": "address_line_2",
    "PONO": "postal_code",
    "TOWN": "city",
    "ECAR": "region",  # area/state
    "CSCD": "country",
    "PHNO": "phone",
    "PHN2": "phone",
    "TFNO": "fax",
    "LNCD": "preferred_language",
    "CUCD": "preferred_currency",
    "VRNO": "vat_number",  # VAT registration number
    "TEPY": "payment_terms_days",
    "RGDT": "record_created_at",  # entry date
    "LMDT": "record_updated_at",  # change date
    "EALO": "gln",  # EAN location code
    "MODL": "shipping_method",  # delivery method
    "ADRT": "address_type",
}
#: Microsoft Dynamics GP's receivables columns (customer master RM00101, customer address master RM00102, and the
#: same names in the sales and cash-receipt tables): eight-letter codes of the GP table reference.
GP_COLUMNS: dict[str, str] = {
    "CUSTNMBR": "customer_id",  # customer number
    "CUSTNAME": "organization_name",  # customer name (a company, or a person's name as invoiced)
    "CUSTCLAS": "customer_segment",  # customer class
    "CPRCSTNM": "parent_organization",  # corporate (parent) customer number
    "CNTCPRSN": "care_of",  # contact person of the address
    "STMTNAME": "legal_name",  # statement name
    "SHRTNAME": "organization_name",  # short name
    "ADRSCODE": "address_label",  # address code (PRIMARY, BILL TO, SHIP TO)
    "PRBTADCD": "address_label",  # primary bill-to address code
    "PRSTADCD": "address_label",  # primary ship-to address code
    "STADDRCD": "address_label",  # statement address code
    "SHIPMTHD": "shipping_method",
    "SLPRSNID": "account_manager",  # salesperson id
    "SALSTERR": "region",  # sales territory
    "PYMTRMID": "payment_terms_days",  # payment terms id
    "CRLMTAMT": "credit_limit",
    "CURNCYID": "preferred_currency",
    "TXRGNNUM": "vat_number",  # tax registration number
    "FRSTINDT": "customer_since",  # first invoice date
    "CRCARDID": "preferred_payment_method",  # credit card id (the card's kind)
    "CRCRDNUM": "payment_card_last_digits",
    "CREATDDT": "record_created_at",
    "MODIFDT": "record_updated_at",
    "GOVCRPID": "chamber_of_commerce_number",  # government corporate id
    "GOVINDID": "national_id_number",  # government individual id
    "USERLANG": "preferred_language",
    "INACTIVE": "is_active",
    "CCODE": "country",  # country code
}
#: A name that may be a suite's code: capitals and digits only, as the suites write them.
_CODE = re.compile(r"^[A-Z][A-Z0-9]{2,9}$")
#: The two-letter column prefixes of the suites' customer tables: JD Edwards' F0101 (AB), F0111 (WW), F0115 (WP),
#: F0116 (AL), F01151 (EA), F03012 (AI); Infor M3's OCUSMA (OK) and OCUSAD (OP), whose APIs write the fields
#: without one; Dynamics GP writes its columns without a prefix.
_SUITES: tuple[tuple[str, dict[str, str], frozenset[str], bool], ...] = (
    ("JD Edwards data item", JDE_DATA_ITEMS, frozenset({"AB", "WW", "WP", "AL", "EA", "AI"}), False),
    ("Infor M3 field", M3_FIELDS, frozenset({"OK", "OP"}), True),
    ("Dynamics GP column", GP_COLUMNS, frozenset(), True),
)


def suite_code(name: str) -> tuple[str, str] | None:
    """The catalog attribute a suite's short code names and how it was read (``ABAN8``: the JD Edwards data
    item ``AN8``, the customer's key), or None when the name is no such code. A code is looked up as written
    and without the two-letter prefix of its table (``AL`` of ``ALCTY1``, ``OK`` of ``OKCUNO``)."""
    if not _CODE.match(name):
        return None
    for suite, codes, prefixes, bare in _SUITES:
        for code in ((name,) if bare else ()) + ((name[2:],) if name[:2] in prefixes else ()):
            if code in codes:
                return codes[code], f"spelling '{code.lower()}' ({suite} '{code}')"
    return None
