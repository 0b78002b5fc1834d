//! Models generated at build time from `spec/petshop.yaml`.

/// The generated models (one file, written by build.rs into `OUT_DIR`).
pub mod models {
    include!(concat!(env!("OUT_DIR"), "/models.rs"));
}

/// A hand-written type the configuration puts in place of the spec's `Money`.
pub mod money {
    /// An amount in cents.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[serde(transparent)]
    pub struct Money(pub i64);
}

#[cfg(test)]
mod tests {
    use super::models::{Pet, PetStatus};

    #[test]
    fn reads_and_writes_a_pet() {
        let json = r#"{"id":7,"name":"Rex","status":"sold","price":1250,"tags":[{"name":"dog"}]}"#;
        let pet: Pet = serde_json::from_str(json).unwrap();
        assert_eq!(pet.name, "Rex");
        assert_eq!(pet.status, Some(PetStatus::Sold));
        assert_eq!(pet.price, Some(crate::money::Money(1250)));
        assert_eq!(pet.tags.as_ref().map(Vec::len), Some(1));
        assert_eq!(serde_json::to_string(&pet).unwrap(), json);
    }
}
