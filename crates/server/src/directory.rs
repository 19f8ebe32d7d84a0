//! The customer directory's import format: a CSV file with the header
//! `phone,client_id,customer_id,first_name,last_name,language` (phone in E.164, language `en`
//! or `es` or empty). A file with any bad row is refused whole, each bad row named by line and
//! field; nothing is half-imported.

use std::collections::HashMap;

use store::CustomerRecord;

pub const HEADER: [&str; 6] = [
    "phone",
    "client_id",
    "customer_id",
    "first_name",
    "last_name",
    "language",
];

/// One reason a file was refused.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RowError {
    /// 1-based line of the file (the header is line 1).
    pub line: u64,
    pub field: String,
    pub message: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}, {}: {}", self.line, self.field, self.message)
    }
}

/// The records of a directory file, or every reason it is refused.
pub fn parse_csv(text: &str) -> Result<Vec<CustomerRecord>, Vec<RowError>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(e) => return Err(vec![error(1, "header", e.to_string())]),
    };
    if header != HEADER {
        return Err(vec![error(
            1,
            "header",
            format!("expected {:?}, found {header:?}", HEADER.join(",")),
        )]);
    }
    let mut records = Vec::new();
    let mut errors = Vec::new();
    let mut phones: HashMap<String, u64> = HashMap::new();
    for row in reader.records() {
        let row = match row {
            Ok(row) => row,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                errors.push(error(line, "row", e.to_string()));
                continue;
            }
        };
        let line = row.position().map_or(0, |p| p.line());
        let get = |i: usize| row.get(i).unwrap_or_default().to_string();
        let (phone, client_id, customer_id) = (get(0), get(1), get(2));
        if !crate::sms::is_e164(&phone) {
            errors.push(error(
                line,
                "phone",
                format!("{phone:?} is not E.164 (like +18135550142)"),
            ));
        } else if let Some(first) = phones.insert(phone.clone(), line) {
            errors.push(error(
                line,
                "phone",
                format!("{phone} is also on line {first}"),
            ));
        }
        for (field, value) in [("client_id", &client_id), ("customer_id", &customer_id)] {
            if value.is_empty() {
                errors.push(error(line, field, "is empty".into()));
            }
        }
        let language = match get(5).to_lowercase().as_str() {
            "" => None,
            "en" => Some("en".to_string()),
            "es" => Some("es".to_string()),
            other => {
                errors.push(error(
                    line,
                    "language",
                    format!("{other:?} is not en or es"),
                ));
                None
            }
        };
        let optional = |s: String| (!s.is_empty()).then_some(s);
        records.push(CustomerRecord {
            client_id,
            customer_id,
            first_name: optional(get(3)),
            last_name: optional(get(4)),
            phone: Some(phone),
            language,
            ..CustomerRecord::default()
        });
    }
    if errors.is_empty() {
        Ok(records)
    } else {
        Err(errors)
    }
}

fn error(line: u64, field: &str, message: String) -> RowError {
    RowError {
        line,
        field: field.into(),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_good_file_gives_its_customers() {
        let text = "phone,client_id,customer_id,first_name,last_name,language\n\
                    +18135550142,09PF05VD,1645975,Maria,\"Lopez, Jr.\",es\n\
                    +14075550177,09PF05VD,2231407,James,Carter,\n";
        let records = parse_csv(text).unwrap();
        assert_eq!(records.len(), 2);
        assert_eq!(records[0].last_name.as_deref(), Some("Lopez, Jr."));
        assert_eq!(records[0].language.as_deref(), Some("es"));
        assert_eq!(records[1].language, None);
    }

    #[test]
    fn every_bad_row_is_named_by_line_and_field() {
        let text = "phone,client_id,customer_id,first_name,last_name,language\n\
                    8135550142,09PF05VD,1,Maria,Lopez,en\n\
                    +14075550177,,2,James,Carter,fr\n\
                    +14075550177,09PF05VD,3,Ann,Lee,en\n";
        let errors = parse_csv(text).unwrap_err();
        let named: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(named.len(), 4, "{named:?}");
        assert!(named[0].starts_with("line 2, phone"), "{named:?}");
        assert!(named[1].starts_with("line 3, client_id"), "{named:?}");
        assert!(named[2].starts_with("line 3, language"), "{named:?}");
        assert!(
            named[3].starts_with("line 4, phone") && named[3].contains("line 3"),
            "{named:?}"
        );
        let header = parse_csv("phone,client,customer\n").unwrap_err();
        assert_eq!(header[0].field, "header");
    }
}
