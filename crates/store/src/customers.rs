//! The customer directory: who texts from which phone (E.164), for which client, in which
//! language, and their TCPA consent (flags for now, every change in a ledger).

use sqlx::Row;

use crate::{Store, StoreError, new_id};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerRecord {
    pub client_id: String,
    pub customer_id: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// `en` or `es`.
    pub language: Option<String>,
    pub preferences: String,
    pub sms_consent: bool,
    pub sms_consent_at: Option<i64>,
    pub sms_opt_out: bool,
    pub sms_opt_out_at: Option<i64>,
}

/// An opt-out or opt-in, for the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consent {
    OptOut,
    OptIn,
}

/// Why an import was refused; nothing of it was stored.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("phone {phone} is on file for customer {owner} of client {client}")]
    PhoneTaken {
        phone: String,
        owner: String,
        client: String,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A query of whole customer rows (sqlx takes only static SQL).
macro_rules! select_customers {
    ($condition:literal) => {
        concat!(
            "SELECT client_id, customer_id, first_name, last_name, phone, email, language, preferences, \
             CAST(sms_consent AS INTEGER), sms_consent_at, CAST(sms_opt_out AS INTEGER), sms_opt_out_at \
             FROM customers ",
            $condition
        )
    };
}

fn record(r: &sqlx::any::AnyRow) -> CustomerRecord {
    CustomerRecord {
        client_id: r.get(0),
        customer_id: r.get(1),
        first_name: r.get(2),
        last_name: r.get(3),
        phone: r.get(4),
        email: r.get(5),
        language: r.get(6),
        preferences: r.get(7),
        sms_consent: r.get::<i64, _>(8) != 0,
        sms_consent_at: r.get(9),
        sms_opt_out: r.get::<i64, _>(10) != 0,
        sms_opt_out_at: r.get(11),
    }
}

const UPSERT: &str = "INSERT INTO customers (client_id, customer_id, first_name, last_name, phone, email, language, preferences, \
     sms_consent, sms_consent_at, sms_opt_out, sms_opt_out_at, created_at, updated_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
     ON CONFLICT (client_id, customer_id) DO UPDATE SET first_name = excluded.first_name, \
     last_name = excluded.last_name, phone = excluded.phone, email = excluded.email, \
     language = excluded.language, preferences = excluded.preferences, sms_consent = excluded.sms_consent, \
     sms_consent_at = excluded.sms_consent_at, sms_opt_out = excluded.sms_opt_out, \
     sms_opt_out_at = excluded.sms_opt_out_at, updated_at = excluded.updated_at";

fn upsert<'q>(
    c: &'q CustomerRecord,
    now: i64,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    sqlx::query(UPSERT)
        .bind(&c.client_id)
        .bind(&c.customer_id)
        .bind(&c.first_name)
        .bind(&c.last_name)
        .bind(&c.phone)
        .bind(&c.email)
        .bind(&c.language)
        .bind(if c.preferences.is_empty() {
            "{}"
        } else {
            c.preferences.as_str()
        })
        .bind(c.sms_consent)
        .bind(c.sms_consent_at)
        .bind(c.sms_opt_out)
        .bind(c.sms_opt_out_at)
        .bind(now)
        .bind(now)
}

impl Store {
    /// Creates or updates a customer's contact details and TCPA flags.
    pub async fn upsert_customer(&self, c: &CustomerRecord) -> Result<(), StoreError> {
        upsert(c, self.now()).execute(&self.pool).await?;
        Ok(())
    }

    pub async fn customer(
        &self,
        client_id: &str,
        customer_id: &str,
    ) -> Result<Option<CustomerRecord>, StoreError> {
        let row = sqlx::query(select_customers!(
            "WHERE client_id = $1 AND customer_id = $2"
        ))
        .bind(client_id)
        .bind(customer_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(record))
    }

    /// The customer whose phone of record this is (the most recently updated, should two
    /// clients share one).
    pub async fn customer_by_phone(
        &self,
        phone: &str,
    ) -> Result<Option<CustomerRecord>, StoreError> {
        let row = sqlx::query(select_customers!(
            "WHERE phone = $1 ORDER BY updated_at DESC LIMIT 1"
        ))
        .bind(phone)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(record))
    }

    /// Stores every record or none: a phone already on file for another customer refuses the
    /// whole import. Existing customers keep their consent flags.
    pub async fn import_customers(&self, records: &[CustomerRecord]) -> Result<usize, ImportError> {
        let now = self.now();
        let mut tx = self.pool.begin().await.map_err(StoreError::from)?;
        for c in records {
            if let Some(phone) = &c.phone {
                let owner = sqlx::query(
                    "SELECT client_id, customer_id FROM customers WHERE phone = $1 \
                     AND NOT (client_id = $2 AND customer_id = $3) LIMIT 1",
                )
                .bind(phone)
                .bind(&c.client_id)
                .bind(&c.customer_id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(StoreError::from)?;
                if let Some(owner) = owner {
                    return Err(ImportError::PhoneTaken {
                        phone: phone.clone(),
                        client: owner.get(0),
                        owner: owner.get(1),
                    });
                }
            }
            let existing = sqlx::query(select_customers!(
                "WHERE client_id = $1 AND customer_id = $2"
            ))
            .bind(&c.client_id)
            .bind(&c.customer_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(StoreError::from)?;
            let mut merged = c.clone();
            if let Some(existing) = existing.as_ref().map(record) {
                merged.sms_consent = existing.sms_consent;
                merged.sms_consent_at = existing.sms_consent_at;
                merged.sms_opt_out = existing.sms_opt_out;
                merged.sms_opt_out_at = existing.sms_opt_out_at;
                merged.preferences = existing.preferences;
            }
            upsert(&merged, now)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::from)?;
        }
        tx.commit().await.map_err(StoreError::from)?;
        Ok(records.len())
    }

    /// Records an opt-out or opt-in by `keyword` from `phone`: the ledger row and, for a
    /// customer on file, their flags, in one transaction.
    pub async fn record_consent(
        &self,
        phone: &str,
        customer: Option<(&str, &str)>,
        consent: Consent,
        keyword: &str,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO sms_consent_events (id, phone, seq, client_id, customer_id, kind, keyword, created_at) \
             VALUES ($1, $2, (SELECT COALESCE(MAX(seq), 0) + 1 FROM sms_consent_events WHERE phone = $2), \
             $3, $4, $5, $6, $7)",
        )
        .bind(new_id())
        .bind(phone)
        .bind(customer.map(|c| c.0))
        .bind(customer.map(|c| c.1))
        .bind(match consent {
            Consent::OptOut => "opt_out",
            Consent::OptIn => "opt_in",
        })
        .bind(keyword)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if let Some((client_id, customer_id)) = customer {
            let query = match consent {
                Consent::OptOut => {
                    "UPDATE customers SET sms_opt_out = TRUE, sms_opt_out_at = $3, updated_at = $3 \
                     WHERE client_id = $1 AND customer_id = $2"
                }
                Consent::OptIn => {
                    "UPDATE customers SET sms_opt_out = FALSE, sms_consent = TRUE, sms_consent_at = $3, \
                     updated_at = $3 WHERE client_id = $1 AND customer_id = $2"
                }
            };
            sqlx::query(query)
                .bind(client_id)
                .bind(customer_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The consent ledger of a phone, oldest first: (kind, keyword, at).
    pub async fn consent_events(
        &self,
        phone: &str,
    ) -> Result<Vec<(String, String, i64)>, StoreError> {
        let rows = sqlx::query(
            "SELECT kind, keyword, created_at FROM sms_consent_events WHERE phone = $1 \
             ORDER BY seq",
        )
        .bind(phone)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect())
    }
}
