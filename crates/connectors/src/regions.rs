//! State and province codes. BigCommerce sends the state's full name ("Texas"); the engine and
//! the supplier's routing rules work with codes ("TX").

/// The code for `state` in `country` (ISO 3166-1 alpha-2): names of US states, territories and
/// military regions and of Canadian provinces become their postal codes; a two-letter code is
/// kept (upper-cased); anything else is returned as the store wrote it.
pub(crate) fn state_code(country: &str, state: &str) -> String {
    let state = state.trim();
    if state.len() == 2 && state.bytes().all(|b| b.is_ascii_alphabetic()) {
        return state.to_ascii_uppercase();
    }
    let table: &[(&str, &str)] = match country.trim().to_ascii_uppercase().as_str() {
        "US" => US,
        "CA" => CANADA,
        _ => &[],
    };
    table
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(state))
        .map(|(_, code)| code.to_string())
        .unwrap_or_else(|| state.to_string())
}

const US: &[(&str, &str)] = &[
    ("Alabama", "AL"),
    ("Alaska", "AK"),
    ("Arizona", "AZ"),
    ("Arkansas", "AR"),
    ("California", "CA"),
    ("Colorado", "CO"),
    ("Connecticut", "CT"),
    ("Delaware", "DE"),
    ("District of Columbia", "DC"),
    ("Florida", "FL"),
    ("Georgia", "GA"),
    ("Hawaii", "HI"),
    ("Idaho", "ID"),
    ("Illinois", "IL"),
    ("Indiana", "IN"),
    ("Iowa", "IA"),
    ("Kansas", "KS"),
    ("Kentucky", "KY"),
    ("Louisiana", "LA"),
    ("Maine", "ME"),
    ("Maryland", "MD"),
    ("Massachusetts", "MA"),
    ("Michigan", "MI"),
    ("Minnesota", "MN"),
    ("Mississippi", "MS"),
    ("Missouri", "MO"),
    ("Montana", "MT"),
    ("Nebraska", "NE"),
    ("Nevada", "NV"),
    ("New Hampshire", "NH"),
    ("New Jersey", "NJ"),
    ("New Mexico", "NM"),
    ("New York", "NY"),
    ("North Carolina", "NC"),
    ("North Dakota", "ND"),
    ("Ohio", "OH"),
    ("Oklahoma", "OK"),
    ("Oregon", "OR"),
    ("Pennsylvania", "PA"),
    ("Rhode Island", "RI"),
    ("South Carolina", "SC"),
    ("South Dakota", "SD"),
    ("Tennessee", "TN"),
    ("Texas", "TX"),
    ("Utah", "UT"),
    ("Vermont", "VT"),
    ("Virginia", "VA"),
    ("Washington", "WA"),
    ("West Virginia", "WV"),
    ("Wisconsin", "WI"),
    ("Wyoming", "WY"),
    ("American Samoa", "AS"),
    ("Guam", "GU"),
    ("Northern Mariana Islands", "MP"),
    ("Puerto Rico", "PR"),
    ("Virgin Islands", "VI"),
    ("United States Minor Outlying Islands", "UM"),
    ("Armed Forces Americas", "AA"),
    ("Armed Forces Europe", "AE"),
    ("Armed Forces Pacific", "AP"),
];

const CANADA: &[(&str, &str)] = &[
    ("Alberta", "AB"),
    ("British Columbia", "BC"),
    ("Manitoba", "MB"),
    ("New Brunswick", "NB"),
    ("Newfoundland and Labrador", "NL"),
    ("Northwest Territories", "NT"),
    ("Nova Scotia", "NS"),
    ("Nunavut", "NU"),
    ("Ontario", "ON"),
    ("Prince Edward Island", "PE"),
    ("Quebec", "QC"),
    ("Saskatchewan", "SK"),
    ("Yukon", "YT"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_codes() {
        assert_eq!(state_code("US", "Texas"), "TX");
        assert_eq!(state_code("us", "new york"), "NY");
        assert_eq!(state_code("US", "ca"), "CA");
        assert_eq!(state_code("CA", "Quebec"), "QC");
        assert_eq!(US.len(), 60);
        // Outside the tables the store's own text is kept for the dealer to see.
        assert_eq!(state_code("AU", "New South Wales"), "New South Wales");
        assert_eq!(state_code("US", "Atlantis"), "Atlantis");
    }
}
