//! `scheduling-agent customers import FILE.csv`: fills the SMS customer directory.

use std::path::PathBuf;

use anyhow::{Context, bail};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(clap::Subcommand)]
enum Action {
    /// Import a CSV with the header phone,client_id,customer_id,first_name,last_name,language
    /// (phone in E.164, language en or es); a file with any bad row is refused whole.
    Import {
        file: PathBuf,
        /// A TOML configuration file (for DATABASE_URL).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    match args.action {
        Action::Import { file, config } => {
            let config = server::Config::load(config.as_deref(), |name| std::env::var(name).ok())?;
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let records = match server::directory::parse_csv(&text) {
                Ok(records) => records,
                Err(errors) => {
                    for error in &errors {
                        eprintln!("{}: {error}", file.display());
                    }
                    bail!(
                        "{} refused: {} bad row(s), nothing imported",
                        file.display(),
                        errors.len()
                    );
                }
            };
            let store = store::Store::connect(&config.database_url, store::system_now()).await?;
            store.migrate().await?;
            let imported = store
                .import_customers(&records)
                .await
                .with_context(|| format!("{} refused, nothing imported", file.display()))?;
            println!("imported {imported} customers into the directory");
            Ok(())
        }
    }
}
