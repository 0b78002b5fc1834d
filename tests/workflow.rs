//! The regeneration workflow through the command line: `--check`, the
//! configuration file, `init`, template overrides, `ir` and plugins.

mod common;

use std::path::{Path, PathBuf};

use common::{root, run_cli, scratch, snapshot_dir};

/// A small spec with a struct, an enum and a union.
const SPEC: &str = r##"openapi: 3.0.3
info: {title: Shop, version: "1"}
paths: {}
components:
  schemas:
    Pet:
      type: object
      description: A pet for sale.
      required: [name]
      properties:
        name: {type: string, description: The pet's name.}
        kind: {$ref: "#/components/schemas/Kind"}
    Kind:
      type: string
      enum: [cat, dog]
"##;

/// A scratch folder holding `shop.yaml` (and any extra files).
fn project(name: &str, extra: &[(&str, &str)]) -> PathBuf {
    let dir = scratch(name);
    std::fs::write(dir.join("shop.yaml"), SPEC).unwrap();
    for (path, contents) in extra {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }
    dir
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn check_reports_drift_with_a_diff_and_exit_code() {
    let dir = project("workflow-check", &[]);
    let spec = dir.join("shop.yaml");
    let out = dir.join("out");

    // Nothing generated yet: everything would be added.
    let first = run_cli(&["generate", s(&spec), "--out", s(&out), "--check"]);
    assert_eq!(first.status.code(), Some(1), "{}", stderr(&first));
    assert!(!out.exists(), "--check wrote something");
    let diff = stdout(&first);
    assert!(
        diff.contains("--- /dev/null\n+++ b/src/models/pet.rs\n"),
        "{diff}"
    );
    assert!(stderr(&first).contains("added src/models/pet.rs"));

    // Generated: up to date.
    let run = run_cli(&["generate", s(&spec), "--out", s(&out)]);
    assert!(run.status.success(), "{}", stderr(&run));
    let fresh = run_cli(&["generate", s(&spec), "--out", s(&out), "--check"]);
    assert_eq!(fresh.status.code(), Some(0), "{}", stderr(&fresh));
    assert!(stdout(&fresh).contains("is up to date"));

    // The spec changes: a changed file, a removed one and an added one.
    let before = snapshot_dir(&out);
    let changed = SPEC
        .replace("The pet's name.", "What the pet answers to.")
        .replace(
            "    Kind:\n      type: string\n      enum: [cat, dog]\n",
            "    Owner:\n      type: object\n      properties:\n        id: {type: integer}\n",
        )
        .replace(
            "kind: {$ref: \"#/components/schemas/Kind\"}",
            "owner: {$ref: \"#/components/schemas/Owner\"}",
        );
    std::fs::write(&spec, changed).unwrap();
    let drift = run_cli(&["generate", s(&spec), "--out", s(&out), "--check"]);
    assert_eq!(drift.status.code(), Some(1), "{}", stderr(&drift));
    assert_eq!(snapshot_dir(&out), before, "--check wrote something");
    let diff = stdout(&drift);
    for expected in [
        "--- a/src/models/pet.rs\n+++ b/src/models/pet.rs\n",
        "-    /// The pet's name.\n",
        "+    /// What the pet answers to.\n",
        "--- /dev/null\n+++ b/src/models/owner.rs\n",
        "--- a/src/models/kind.rs\n+++ /dev/null\n",
        "--- a/docs/models/kind.md\n+++ /dev/null\n",
    ] {
        assert!(diff.contains(expected), "missing {expected:?} in\n{diff}");
    }
    let summary = stderr(&drift);
    assert!(summary.contains("changed src/models/pet.rs"), "{summary}");
    assert!(summary.contains("removed src/models/kind.rs"), "{summary}");
    assert!(summary.contains("out of date"), "{summary}");

    // Regenerating removes the stale files and is then up to date.
    let regen = run_cli(&["generate", s(&spec), "--out", s(&out)]);
    assert!(regen.status.success(), "{}", stderr(&regen));
    assert!(!out.join("src/models/kind.rs").exists());
    assert!(out.join("src/models/owner.rs").exists());
    let again = run_cli(&["generate", s(&spec), "--out", s(&out), "--check"]);
    assert_eq!(again.status.code(), Some(0), "{}", stdout(&again));
}

#[test]
fn config_next_to_the_spec_is_applied_and_flags_win() {
    let config = r#"
out = "generated"
crate-name = "shop-models"

[rust]
enum-catch-all = false

[docs]
dir = "reference"
index = false
"#;
    let dir = project("workflow-config", &[("oapi-models.toml", config)]);
    let spec = dir.join("shop.yaml");
    let run = run_cli(&["generate", s(&spec)]);
    assert!(run.status.success(), "{}", stderr(&run));
    let out = dir.join("generated");
    assert!(out.join("Cargo.toml").is_file(), "crate-name not applied");
    assert!(
        out.join("reference/pet.md").is_file(),
        "docs.dir not applied"
    );
    assert!(
        !out.join("reference/README.md").exists(),
        "docs.index not applied"
    );
    let kind = std::fs::read_to_string(out.join("src/models/kind.rs")).unwrap();
    assert!(
        !kind.contains("Unknown"),
        "enum-catch-all not applied:\n{kind}"
    );

    // --out beats `out`, --config names another file.
    let other = dir.join("other.toml");
    std::fs::write(&other, "[docs]\nenabled = false\n").unwrap();
    let flagged = dir.join("flagged");
    let run = run_cli(&[
        "generate",
        s(&spec),
        "--config",
        s(&other),
        "--out",
        s(&flagged),
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(flagged.join("src/models/pet.rs").is_file());
    assert!(
        !flagged.join("docs").exists(),
        "docs.enabled = false not applied"
    );
}

#[test]
fn config_errors_name_the_file_line_and_key() {
    let cases = [
        ("unknown-key", "[rust]\nderive = [\"Eq\"]\n"),
        ("unknown-table", "[rustt]\n"),
        ("bad-value", "[rust]\nmap-type = \"tree\"\n"),
        ("bad-type", "plugins = \"python3 x.py\"\n"),
        ("syntax", "[docs\nenabled = true\n"),
    ];
    let mut messages = String::new();
    for (name, text) in cases {
        let dir = project(
            &format!("workflow-config-error-{name}"),
            &[("oapi-models.toml", text)],
        );
        let out = dir.join("out");
        let run = run_cli(&["generate", s(&dir.join("shop.yaml")), "--out", s(&out)]);
        assert_eq!(run.status.code(), Some(2), "{name}: {}", stderr(&run));
        assert!(!out.exists(), "{name}: wrote output");
        let message = stderr(&run).replace(s(&dir), "<dir>");
        messages.push_str(&format!("{name}: {message}"));
    }
    insta::assert_snapshot!(messages);
}

#[test]
fn init_writes_a_config_that_changes_nothing() {
    let dir = project("workflow-init", &[]);
    let config = dir.join("oapi-models.toml");
    let run = run_cli(&["init", s(&config)]);
    assert!(run.status.success(), "{}", stderr(&run));
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(text.starts_with("# oapi-models configuration."));

    // The default config gives the same output as no config.
    let with = dir.join("with");
    let without = dir.join("without");
    let run = run_cli(&["generate", s(&dir.join("shop.yaml")), "--out", s(&with)]);
    assert!(run.status.success(), "{}", stderr(&run));
    std::fs::remove_file(&config).unwrap();
    let run = run_cli(&["generate", s(&dir.join("shop.yaml")), "--out", s(&without)]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert_eq!(snapshot_dir(&with), snapshot_dir(&without));

    // init does not overwrite.
    std::fs::write(&config, "# mine\n").unwrap();
    let again = run_cli(&["init", s(&config)]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("--force"));
    assert_eq!(std::fs::read_to_string(&config).unwrap(), "# mine\n");
}

#[test]
fn one_template_overridden_the_others_built_in() {
    let dir = project("workflow-templates", &[]);
    let templates = dir.join("templates");
    let run = run_cli(&["init", "--templates", s(&templates)]);
    assert!(run.status.success(), "{}", stderr(&run));
    for name in ["struct.md", "enum.md", "union.md", "index.md"] {
        let copied = std::fs::read_to_string(templates.join(name)).unwrap();
        let built_in = std::fs::read_to_string(root().join("templates").join(name)).unwrap();
        assert_eq!(copied, built_in, "{name}");
    }
    // Keep only an edited struct template.
    for name in ["enum.md", "union.md", "index.md"] {
        std::fs::remove_file(templates.join(name)).unwrap();
    }
    std::fs::write(
        templates.join("struct.md"),
        "# The {{ title }} model\n\n{{ table }}\n",
    )
    .unwrap();
    let spec = dir.join("shop.yaml");
    let custom = dir.join("custom");
    let plain = dir.join("plain");
    for (out, extra) in [
        (&custom, vec!["--templates", s(&templates)]),
        (&plain, vec![]),
    ] {
        let mut args = vec!["generate", s(&spec), "--out", s(out)];
        args.extend(extra);
        let run = run_cli(&args);
        assert!(run.status.success(), "{}", stderr(&run));
    }
    let pet = std::fs::read_to_string(custom.join("docs/models/pet.md")).unwrap();
    assert!(pet.starts_with("# The Pet model\n\n| Field"), "{pet}");
    for same in [
        "docs/models/kind.md",
        "docs/models/README.md",
        "src/models/pet.rs",
    ] {
        assert_eq!(
            std::fs::read(custom.join(same)).unwrap(),
            std::fs::read(plain.join(same)).unwrap(),
            "{same}"
        );
    }

    // An undefined variable and a misnamed template are errors; nothing written.
    std::fs::write(templates.join("struct.md"), "# {{ titel }}\n").unwrap();
    let out = dir.join("broken");
    let run = run_cli(&[
        "generate",
        s(&spec),
        "--out",
        s(&out),
        "--templates",
        s(&templates),
    ]);
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    assert!(stderr(&run).contains("struct.md"), "{}", stderr(&run));
    assert!(stderr(&run).contains("undefined"), "{}", stderr(&run));
    assert!(!out.exists());
    std::fs::remove_file(templates.join("struct.md")).unwrap();
    std::fs::write(templates.join("strcut.md"), "x").unwrap();
    let run = run_cli(&[
        "generate",
        s(&spec),
        "--out",
        s(&out),
        "--templates",
        s(&templates),
    ]);
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("strcut.md: not a template name"),
        "{}",
        stderr(&run)
    );
    assert!(!out.exists());
}

#[test]
fn ir_prints_json_with_a_version() {
    let dir = project("workflow-ir", &[]);
    let run = run_cli(&["ir", s(&dir.join("shop.yaml"))]);
    assert!(run.status.success(), "{}", stderr(&run));
    let ir: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert!(ir["version"].is_u64());
    let names: Vec<&str> = ir["models"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Kind", "Pet"]);

    let schema = run_cli(&["ir", "--schema"]);
    assert!(schema.status.success());
    assert_eq!(
        stdout(&schema),
        std::fs::read_to_string(root().join("docs/ir.schema.json")).unwrap()
    );
}

#[test]
fn plugin_files_join_the_output_and_a_failing_plugin_writes_nothing() {
    let dir = project("workflow-plugin", &[]);
    let spec = dir.join("shop.yaml");
    let out = dir.join("out");
    let summary = format!("python3 {}", s(&root().join("tests/plugins/summary.py")));
    let run = run_cli(&["generate", s(&spec), "--out", s(&out), "--plugin", &summary]);
    assert!(run.status.success(), "{}", stderr(&run));
    let page = std::fs::read_to_string(out.join("plugin/summary.md")).unwrap();
    assert!(page.contains("Pet") && page.contains("Kind"), "{page}");
    let manifest = std::fs::read_to_string(out.join(".oapi-models-manifest")).unwrap();
    assert!(
        manifest.lines().any(|l| l == "plugin/summary.md"),
        "{manifest}"
    );
    let check = run_cli(&[
        "generate",
        s(&spec),
        "--out",
        s(&out),
        "--plugin",
        &summary,
        "--check",
    ]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    // Without the plugin its file is stale.
    let check = run_cli(&["generate", s(&spec), "--out", s(&out), "--check"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(
        stderr(&check).contains("removed plugin/summary.md"),
        "{}",
        stderr(&check)
    );

    let before = snapshot_dir(&out);
    for script in ["fail.py", "garbage.py", "escape.py"] {
        let command = format!("python3 {}", s(&root().join("tests/plugins").join(script)));
        let run = run_cli(&["generate", s(&spec), "--out", s(&out), "--plugin", &command]);
        assert_eq!(run.status.code(), Some(3), "{script}: {}", stderr(&run));
        assert!(stderr(&run).contains(script), "{script}: {}", stderr(&run));
        assert_eq!(snapshot_dir(&out), before, "{script} changed the output");
    }
}

/// A spec whose descriptions hold links written for the vendor's site.
const LINKS_SPEC: &str = r##"openapi: 3.0.3
info: {title: Links, version: "1"}
paths: {}
components:
  schemas:
    Guide:
      type: object
      description: |-
        Read [the guide](/docs/guide#start "Guide") first; see also ![logo](/img/logo.png),
        [the site](https://example.org/a_(b)), [a pet](pet.md#fields), [up](../other.md),
        [below](#below), [cdn](//cdn.example.org/x) and `[code](/stays)`.
      properties:
        pet: {$ref: "#/components/schemas/Pet"}
        note:
          type: string
          description: "Limits: [rate limits](/docs/limits) | [errors](errors.md)"
          example: "[not a link](/data)"
    Pet:
      type: object
      description: "[Pets](/docs/pets) as sold, a summary line long enough to be cut for the index [here](/docs/pets/long)"
      properties:
        name: {type: string}
"##;

/// Each link of the descriptions either resolves or is gone: root-relative
/// ones take the link base (flag or config) or become their words, other
/// relative ones stay only when they name one of the pages.
#[test]
fn description_links_take_the_link_base_or_become_plain_text() {
    let dir = scratch("workflow-links");
    let spec = dir.join("links.yaml");
    std::fs::write(&spec, LINKS_SPEC).unwrap();
    let pages = |out: &Path| {
        ["guide.md", "pet.md", "README.md"]
            .iter()
            .map(|name| {
                let text = std::fs::read_to_string(out.join("docs/models").join(name)).unwrap();
                format!("=== {name}\n{text}\n")
            })
            .collect::<String>()
    };

    let plain = dir.join("plain");
    let run = run_cli(&["generate", s(&spec), "--out", s(&plain)]);
    assert!(run.status.success(), "{}", stderr(&run));
    insta::assert_snapshot!("links_without_base", pages(&plain));

    let based = dir.join("based");
    let run = run_cli(&[
        "generate",
        s(&spec),
        "--out",
        s(&based),
        "--docs-link-base",
        "https://docs.example.com/",
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    insta::assert_snapshot!("links_with_base", pages(&based));

    // The same from the configuration file.
    let config = dir.join("links.toml");
    std::fs::write(
        &config,
        "[docs]\nlink-base = \"https://docs.example.com\"\n",
    )
    .unwrap();
    let configured = dir.join("configured");
    let run = run_cli(&[
        "generate",
        s(&spec),
        "--out",
        s(&configured),
        "--config",
        s(&config),
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert_eq!(pages(&configured), pages(&based));

    // A base that is not an absolute URL is a usage error; nothing written.
    let bad = dir.join("bad");
    let run = run_cli(&[
        "generate",
        s(&spec),
        "--out",
        s(&bad),
        "--docs-link-base",
        "docs.example.com",
    ]);
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("not an absolute URL"),
        "{}",
        stderr(&run)
    );
    assert!(!bad.exists());
}
