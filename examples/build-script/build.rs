//! Generates the models of `spec/petshop.yaml` into `$OUT_DIR/models.rs`.
//! The spec, `spec/schemas/*.yaml` it refers to and `oapi-models.toml` are
//! watched, so editing any of them re-runs this script; nothing else does.

fn main() {
    let result = oapi_models::Generator::new()
        .config_file("oapi-models.toml")
        .and_then(|generator| generator.compile("spec/petshop.yaml"));
    if let Err(e) = result {
        // The file, line, column and JSON pointer, the source line and a
        // hint: the same report as the command line's.
        eprintln!("{}", e.render());
        std::process::exit(1);
    }
}
