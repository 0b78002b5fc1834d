//! Same input, same bytes.

mod common;

#[test]
fn two_runs_write_byte_identical_trees() {
    let a = common::scratch("determinism-a");
    let b = common::scratch("determinism-b");
    let spec = common::hathora();
    for dir in [&a, &b] {
        let out = common::run_cli(&[
            "generate",
            spec.to_str().unwrap(),
            "--out",
            dir.to_str().unwrap(),
            "--crate",
            "hathora-models",
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let first = common::snapshot_dir(&a);
    let second = common::snapshot_dir(&b);
    assert!(first.len() > 150, "only {} files", first.len());
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &first {
        assert!(
            second[path] == *bytes,
            "{} differs between runs",
            path.display()
        );
    }
}

#[test]
fn a_second_run_into_the_same_dir_changes_nothing() {
    let dir = common::scratch("determinism-rerun");
    let spec = common::hathora();
    let args = [
        "generate",
        spec.to_str().unwrap(),
        "--out",
        dir.to_str().unwrap(),
    ];
    assert!(common::run_cli(&args).status.success());
    let before = common::snapshot_dir(&dir);
    let out = common::run_cli(&args);
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("(0 written"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(before, common::snapshot_dir(&dir));
}
