//! Every carrier's published example numbers, the check digits that must fail, and the
//! choice between carriers whose formats overlap.

use super::*;

/// Public example numbers: UPS's developer-kit test number; the rest from
/// tracking_number_data's `test_numbers` and the brief's USPS example.
const VALID: &[(&str, Carrier)] = &[
    ("1Z999AA10123456784", Carrier::Ups),
    ("1Z5R89390357567127", Carrier::Ups),
    ("1Z879E930346834440", Carrier::Ups),
    ("1Z410E7W0392751591", Carrier::Ups),
    ("1Z8V92A70367203024", Carrier::Ups),
    ("1ZXX3150YW44070023", Carrier::Ups),
    ("986578788855", Carrier::Fedex),
    ("477179081230", Carrier::Fedex),
    ("799531274483", Carrier::Fedex),
    ("790535312317", Carrier::Fedex),
    ("974367662710", Carrier::Fedex),
    ("041441760228964", Carrier::Fedex),
    ("568283610012000", Carrier::Fedex),
    ("568283610012734", Carrier::Fedex),
    ("9611020987654312345672", Carrier::Fedex),
    ("61292700768711948021", Carrier::Fedex),
    ("9205590164917312751089", Carrier::Usps),
    ("9400111206206406260787", Carrier::Usps),
    ("9400111201080805483016", Carrier::Usps),
    ("9405803699300124287899", Carrier::Usps),
    ("9434611206206406227577", Carrier::Usps),
    ("9101123456789000000013", Carrier::Usps),
    ("9505511069605048600624", Carrier::Usps),
    ("9361289878700317633795", Carrier::Usps),
    ("9261292700768711948021", Carrier::Usps),
    ("03071790000523483741", Carrier::Usps),
    ("71969010756003077385", Carrier::Usps),
    ("3318810025", Carrier::DhlExpress),
    ("8487135506", Carrier::DhlExpress),
    ("1099255990", Carrier::DhlExpress),
    ("3821724944", Carrier::DhlExpress),
    ("TBA000000000000", Carrier::AmazonLogistics),
    ("TBA010000000000", Carrier::AmazonLogistics),
    ("TBM502887274000", Carrier::AmazonLogistics),
    ("C11031500001879", Carrier::Ontrac),
    ("C10999911320231", Carrier::Ontrac),
    ("C11121552953069", Carrier::Ontrac),
    ("C11121553156000", Carrier::Ontrac),
    ("C11121552829468", Carrier::Ontrac),
    ("D10011354453707", Carrier::Ontrac),
    ("D10011345983010", Carrier::Ontrac),
    ("D10011342332145", Carrier::Ontrac),
];

fn replace(number: &str, index: usize, with: char) -> String {
    number
        .char_indices()
        .map(|(i, c)| if i == index { with } else { c })
        .collect()
}

#[test]
fn public_examples_are_valid_with_their_carrier_and_page() {
    for (number, carrier) in VALID {
        let checked = check(number, None);
        assert!(checked.valid, "{number}: {:?}", checked.reason);
        assert_eq!(checked.carrier, Some(*carrier), "{number}");
        assert_eq!(checked.normalized, *number);
        assert_eq!(checked.url, Some(carrier.tracking_url(number)), "{number}");
        assert_eq!(checked.reason, None);
    }
}

#[test]
fn a_changed_check_digit_is_caught() {
    for (number, carrier) in VALID {
        if number.len() == 20 || *carrier == Carrier::AmazonLogistics {
            continue; // below; Amazon's numbers have no check digit
        }
        let last = number.len() - 1;
        let Some(right) = number[last..].parse::<u32>().ok() else {
            panic!("{number}");
        };
        for wrong in (0..10).filter(|d| *d != right) {
            let typo = replace(number, last, char::from_digit(wrong, 10).unwrap());
            let checked = check(&typo, None);
            assert!(!checked.valid, "{typo}");
            assert_eq!(checked.carrier, Some(*carrier), "{typo}");
            assert_eq!(checked.url, None);
            let reason = checked.reason.unwrap();
            assert!(reason.contains("check digit does not match"), "{reason}");
            assert!(reason.contains(carrier.display_name()), "{reason}");
        }
    }
}

#[test]
fn a_changed_digit_before_the_check_digit_is_caught() {
    for (number, carrier) in VALID {
        // 20 digits: below; Amazon: no check digit; FedEx Express: its own test.
        if number.len() == 20 || number.len() == 12 || *carrier == Carrier::AmazonLogistics {
            continue;
        }
        let index = number.len() - 2;
        let Some(right) = number[index..=index].parse::<u32>().ok() else {
            panic!("{number}");
        };
        let typo = replace(
            number,
            index,
            char::from_digit((right + 1) % 10, 10).unwrap(),
        );
        assert!(!check(&typo, None).valid, "{typo}");
    }
}

#[test]
fn fedex_express_cannot_tell_remainder_10_from_0() {
    // FedEx counts a remainder of 10 as check digit 0, so a typo that moves the weighted
    // sum from remainder 10 to 0 (or back) goes unseen: 974367662710 has remainder 10,
    // and with its 11th digit one higher, 0. Other typos are caught.
    assert!(check("974367662710", None).valid);
    assert!(check("974367662720", None).valid);
    assert!(!check("974367662700", None).valid);
    assert!(!check("986578788865", None).valid);
    assert!(!check("799531274493", None).valid);
}

#[test]
fn each_single_digit_typo_in_a_mod_10_number_is_caught() {
    // With weights 3 and 1 every substituted digit changes the sum modulo 10, so USPS
    // IMpb and FedEx Ground numbers catch every single-digit typo.
    for number in ["9205590164917312751089", "041441760228964"] {
        for index in 0..number.len() {
            for digit in '0'..='9' {
                let typo = replace(number, index, digit);
                if typo != number {
                    assert!(!check(&typo, None).valid, "{typo}");
                }
            }
        }
    }
}

#[test]
fn twenty_digit_numbers_check_with_the_identifier_put_back() {
    // Valid as printed, with 91, with 92.
    for (number, carrier) in [
        ("03071790000523483741", Carrier::Usps),
        ("71969010756003077385", Carrier::Usps),
        ("61292700768711948021", Carrier::Fedex),
        ("61299998820821171811", Carrier::Fedex),
    ] {
        assert_eq!(check(number, None).carrier, Some(carrier), "{number}");
        assert!(check(number, None).valid, "{number}");
    }
    // A check digit off by 5 passes under none of the three.
    for typo in [
        "03071790000523483746",
        "71969010756003077380",
        "61292700768711948026",
    ] {
        let checked = check(typo, None);
        assert!(!checked.valid, "{typo}");
        assert_eq!(checked.carrier, Some(Carrier::Usps));
    }
}

#[test]
fn usps_routing_code_is_dropped_before_checking() {
    for (with_zip, number) in [
        // 420 + ZIP, 420 + ZIP+4, in front of 22 digits.
        ("420787459400111206206406260787", "9400111206206406260787"),
        (
            "4201002334249200190132607600833457",
            "9200190132607600833457",
        ),
        ("420902459261290336128704042634", "9261290336128704042634"),
    ] {
        let checked = check(with_zip, None);
        assert!(checked.valid, "{with_zip}");
        assert_eq!(checked.carrier, Some(Carrier::Usps));
        assert_eq!(checked.normalized, number);
        assert_eq!(
            checked.url.as_deref(),
            Some(format!("https://tools.usps.com/go/TrackConfirmAction?tLabels={number}").as_str())
        );
    }
    let legacy = check("420221539101026837331000039521", None);
    assert!(legacy.valid);
    assert_eq!(legacy.normalized, "9101026837331000039521");
    let with_zip4 = check("42022153123403071790000523483741", None);
    assert!(with_zip4.valid, "420 + ZIP+4 + 20 digits");
    assert_eq!(with_zip4.normalized, "03071790000523483741");
    assert!(!check("420787459400111206206406260788", None).valid);
    // A routing code in front of something that is not a USPS number.
    assert!(!check("420787459611020987654312345672", None).valid);
}

#[test]
fn spaces_dashes_and_lower_case_are_accepted() {
    for (typed, number) in [
        (" 1z 999 aa1 01234 5678 4 ", "1Z999AA10123456784"),
        ("9400-1112-0620-6406-2607-87", "9400111206206406260787"),
        ("9205 5901 6491 7312 7510 89\n", "9205590164917312751089"),
        ("tba000000000000", "TBA000000000000"),
        ("c 110 31 500 00187 9", "C11031500001879"),
        ("\t3318810025", "3318810025"),
    ] {
        let checked = check(typed, None);
        assert!(checked.valid, "{typed:?}");
        assert_eq!(checked.normalized, number);
    }
}

#[test]
fn garbage_is_rejected_with_a_reason() {
    for (typed, says) in [
        ("", "no tracking number"),
        ("   ", "no tracking number"),
        ("1Z999AA1012345678", "not a tracking number format"),
        ("1Z999AA101234567844", "not a tracking number format"),
        ("2Z5R89390357567127", "not a tracking number format"),
        ("hello world", "not a tracking number format"),
        ("12345", "not a tracking number format"),
        ("TBB000000000000", "not a tracking number format"),
        ("TBA50288727400A", "not a tracking number format"),
        ("E10011354453707", "not a tracking number format"),
        ("9900111206206406260787", "not a tracking number format"),
        (
            "123456789012345678901234567890",
            "not a tracking number format",
        ),
        (
            "1Z999AA1/0123456784",
            "characters tracking numbers never contain",
        ),
        (
            "1Z999AA10123456784é",
            "characters tracking numbers never contain",
        ),
    ] {
        let checked = check(typed, None);
        assert!(!checked.valid, "{typed:?}");
        assert_eq!(checked.carrier, None, "{typed:?}");
        assert_eq!(checked.url, None);
        let reason = checked.reason.unwrap();
        assert!(reason.contains(says), "{typed:?}: {reason}");
    }
}

#[test]
fn the_hint_decides_between_carriers_that_share_a_format() {
    // A 22-digit IMpb number: USPS, or FedEx Ground Economy when the supplier says FedEx.
    let impb = "9205590164917312751089";
    assert_eq!(check(impb, None).carrier, Some(Carrier::Usps));
    assert_eq!(check(impb, Some("USPS")).carrier, Some(Carrier::Usps));
    let fedex = check(impb, Some("FedEx Ground Economy"));
    assert_eq!(fedex.carrier, Some(Carrier::Fedex));
    assert!(fedex.valid);
    assert_eq!(
        fedex.url.as_deref(),
        Some("https://www.fedex.com/fedextrack/?trknbr=9205590164917312751089")
    );
    // 20 digits: the identifier that makes it check decides, unless the supplier said.
    assert_eq!(
        check("61292700768711948021", None).carrier,
        Some(Carrier::Fedex)
    );
    assert_eq!(
        check("61292700768711948021", Some("usps")).carrier,
        Some(Carrier::Usps)
    );
    assert_eq!(
        check("03071790000523483741", Some("fedex")).carrier,
        Some(Carrier::Fedex)
    );
    // Behind a routing code too.
    assert_eq!(
        check("420787459400111206206406260787", Some("FedEx")).carrier,
        Some(Carrier::Fedex)
    );
}

#[test]
fn a_hint_never_overrides_an_unambiguous_format_or_a_check_digit() {
    let ups = check("1Z999AA10123456784", Some("FedEx"));
    assert_eq!(ups.carrier, Some(Carrier::Ups));
    assert!(ups.valid);
    assert!(!check("1Z999AA10123456785", Some("UPS")).valid);
    assert!(!check("hello", Some("UPS")).valid);
    // An unknown hint is ignored.
    assert_eq!(
        check("9205590164917312751089", Some("Pony Express")).carrier,
        Some(Carrier::Usps)
    );
}

#[test]
fn carrier_names_from_suppliers() {
    for (name, carrier) in [
        ("UPS", Some(Carrier::Ups)),
        ("ups ground", Some(Carrier::Ups)),
        ("United Parcel Service", Some(Carrier::Ups)),
        ("FedEx", Some(Carrier::Fedex)),
        ("Fed-Ex 2Day", Some(Carrier::Fedex)),
        ("Federal Express", Some(Carrier::Fedex)),
        ("USPS", Some(Carrier::Usps)),
        ("U.S.P.S. Priority Mail", Some(Carrier::Usps)),
        ("United States Postal Service", Some(Carrier::Usps)),
        ("DHL", Some(Carrier::DhlExpress)),
        ("dhl_express", Some(Carrier::DhlExpress)),
        ("Amazon Logistics", Some(Carrier::AmazonLogistics)),
        ("amazon_logistics", Some(Carrier::AmazonLogistics)),
        ("OnTrac", Some(Carrier::Ontrac)),
        ("", None),
        ("Pony Express", None),
    ] {
        assert_eq!(Carrier::from_name(name), carrier, "{name:?}");
    }
    for carrier in Carrier::ALL {
        assert_eq!(Carrier::from_name(carrier.as_str()), Some(carrier));
        assert_eq!(Carrier::from_name(carrier.display_name()), Some(carrier));
        assert_eq!(
            serde_json::to_value(carrier).unwrap(),
            serde_json::Value::String(carrier.as_str().to_owned())
        );
    }
}

#[test]
fn tracking_pages() {
    let pages: Vec<String> = Carrier::ALL.iter().map(|c| c.tracking_url("N1")).collect();
    assert_eq!(
        pages,
        [
            "https://www.ups.com/track?tracknum=N1",
            "https://www.fedex.com/fedextrack/?trknbr=N1",
            "https://tools.usps.com/go/TrackConfirmAction?tLabels=N1",
            "https://www.dhl.com/us-en/home/tracking/tracking-express.html?submit=1&tracking-id=N1",
            "https://track.amazon.com/tracking/N1",
            "https://www.ontrac.com/tracking/?number=N1",
        ]
    );
}

#[test]
fn the_json_a_script_reads() {
    let json = serde_json::to_value(check("1Z999AA10123456784", None)).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "valid": true,
            "carrier": "ups",
            "url": "https://www.ups.com/track?tracknum=1Z999AA10123456784",
            "normalized": "1Z999AA10123456784",
            "reason": null,
        })
    );
}

#[test]
fn dhl_jjd_piece_ids_are_format_only() {
    let checked = check("JJD0099999999", None);
    assert!(checked.valid);
    assert_eq!(checked.carrier, Some(Carrier::DhlExpress));
    assert!(!check("JJD12345", None).valid);
    assert!(!check("XJD0099999998", None).valid);
}

#[test]
fn illustrative_numbers_that_fail_their_check_digit() {
    // Two numbers often shown as format examples have wrong check digits (UPS's would be
    // 6, USPS's 3): flagged like any typo.
    let ups = check("1Z12345E0205271688", None);
    assert!(!ups.valid);
    assert_eq!(ups.carrier, Some(Carrier::Ups));
    assert!(check("1Z12345E0205271686", None).valid);
    let usps = check("9400111899223397623910", None);
    assert!(!usps.valid);
    assert!(check("9400111899223397623913", None).valid);
}
