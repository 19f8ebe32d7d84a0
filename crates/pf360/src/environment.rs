//! The PF360 environments and the customer-facing project link.

use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A PF360 deployment: where its API lives and which customer portal goes with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    #[default]
    Dev,
    Qa,
    Staging,
    Prod,
}

impl Environment {
    pub fn api_base_url(self) -> &'static str {
        match self {
            Environment::Dev => "https://api.dev.projectsforce.com",
            Environment::Qa => "https://api.qa.projectsforce.com",
            Environment::Staging => "https://api.staging.projectsforce.com",
            Environment::Prod => "https://api.projectsforce.com",
        }
    }

    /// The `{env_domain}` part of the customer portal's host name.
    pub fn portal_domain(self) -> &'static str {
        match self {
            Environment::Dev => "dev",
            Environment::Qa => "qa",
            Environment::Staging => "staging",
            Environment::Prod => "apps",
        }
    }

    /// The page where a customer sees a project in the PF360 customer portal.
    pub fn project_url(self, client_name: &str, project_id: &str) -> String {
        format!(
            "https://{client_name}.cx-portal.{}.projectsforce.com/details/{project_id}",
            self.portal_domain()
        )
    }
}

#[derive(Debug, thiserror::Error)]
#[error("unknown PF360 environment {0:?} (expected dev, qa, staging or prod)")]
pub struct UnknownEnvironment(String);

impl FromStr for Environment {
    type Err = UnknownEnvironment;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "dev" | "development" => Ok(Environment::Dev),
            "qa" => Ok(Environment::Qa),
            "staging" | "stage" => Ok(Environment::Staging),
            "prod" | "production" => Ok(Environment::Prod),
            _ => Err(UnknownEnvironment(s.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_table_matches_the_contract() {
        assert_eq!(
            Environment::Prod.api_base_url(),
            "https://api.projectsforce.com"
        );
        assert_eq!(
            Environment::Qa.api_base_url(),
            "https://api.qa.projectsforce.com"
        );
        assert_eq!(
            Environment::Prod.project_url("acme-floors", "90000149"),
            "https://acme-floors.cx-portal.apps.projectsforce.com/details/90000149"
        );
        assert_eq!(
            Environment::Staging.project_url("acme", "1"),
            "https://acme.cx-portal.staging.projectsforce.com/details/1"
        );
        assert_eq!("PROD".parse::<Environment>().unwrap(), Environment::Prod);
        assert!("moon".parse::<Environment>().is_err());
    }
}
