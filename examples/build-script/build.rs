//! Generates the models of `spec/petshop.yaml` into `$OUT_DIR/models.rs`.
//! The spec, `spec/schemas/*.yaml` it refers to and `oapi-models.toml` are
//! watched, so editing any of them re-runs this script; nothing else does.

fn main() {
    let result = oapi_models::Generator::new()
        .config_file("oapi-models.toml")
        .and_then(|generator| generator.compile("spec/petshop.yaml"));
    if let Err(e) = result {
        // One line per problem, naming the file and the place in it.
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
