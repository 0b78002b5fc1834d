//! JSON and YAML specs: the same document in either form gives the same output.

mod common;

use oapi_models::Generator;

#[test]
fn yaml_and_json_twins_generate_identical_files() {
    if !common::shared_present() {
        return;
    }
    let dir = common::shared().join("specs/oai-examples/v3.0");
    let from_yaml = Generator::new()
        .crate_name("petstore")
        .generate(&dir.join("petstore-expanded.yaml"))
        .unwrap();
    let from_json = Generator::new()
        .crate_name("petstore")
        .generate(&dir.join("petstore-expanded.json"))
        .unwrap();
    assert_eq!(from_yaml.model_count(), 3);
    assert_eq!(from_yaml.files, from_json.files);
}
