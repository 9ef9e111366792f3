//! Splits a pre-split module (`frontend.wasm`, linked with relocations) as cargo-leptos does
//! and prints, for each resulting file, the areas that need it, its code bytes and what that
//! code is: the app's own functions by component, everything else by crate. Sizes are before
//! wasm-opt and compression, so they rank; `scripts/bundle-budget.js` measures.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use wasmparser::{Name, Parser, Payload};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, input, out_dir] = args.as_slice() else {
        eprintln!("usage: chunk-contents <frontend.wasm> <empty output dir>");
        std::process::exit(2);
    };
    let input = std::fs::read(input).expect("the pre-split module can be read");
    let out_dir = PathBuf::from(out_dir);
    let main_out = out_dir.join("main.wasm");
    let mut options = wasm_split_cli_support::Options::new(&input);
    options.output_dir = &out_dir;
    options.main_out_path = &main_out;
    let split = wasm_split_cli_support::transform(options).expect("the module splits");

    // Which areas fetch each file.
    let mut needed_by: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (area, files) in &split.prefetch_map {
        for file in files {
            needed_by.entry(file.clone()).or_default().push(area.clone());
        }
    }
    let mut files: Vec<(String, PathBuf)> = vec![("main".into(), main_out.clone())];
    files.extend(
        split
            .split_modules
            .iter()
            .filter(|path| **path != main_out)
            .map(|path| (path.file_stem().unwrap_or_default().to_string_lossy().into_owned(), path.clone())),
    );
    files.sort_by_key(|(name, _)| (name != "main", !name.starts_with("split_"), name.clone()));
    for (name, path) in files {
        let mut areas = needed_by.remove(&name).unwrap_or_default();
        areas.sort();
        let areas = if name == "main" { "every page".to_owned() } else { areas.join(", ") };
        let (total, owners) = code_by_owner(&path);
        println!("\n{name}: {:.1} KB of code, needed by {areas}", total as f64 / 1000.0);
        let mut ranked: Vec<_> = owners.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1));
        for (owner, bytes) in ranked.into_iter().take(12) {
            println!("  {:>8.1} KB  {owner}", bytes as f64 / 1000.0);
        }
    }
}

/// The bytes of each function body, summed by owner.
fn code_by_owner(path: &Path) -> (usize, HashMap<String, usize>) {
    let bytes = std::fs::read(path).expect("a split file can be read");
    let mut imported = 0u32;
    let mut sizes = Vec::new();
    let mut names: HashMap<u32, String> = HashMap::new();
    for payload in Parser::new(0).parse_all(&bytes) {
        match payload.expect("a valid wasm file") {
            Payload::ImportSection(imports) => {
                for import in imports.into_imports() {
                    if matches!(import.expect("an import").ty, wasmparser::TypeRef::Func(_)) {
                        imported += 1;
                    }
                }
            }
            Payload::CodeSectionEntry(body) => {
                let range = body.range();
                sizes.push((range.end - range.start) as usize);
            }
            Payload::CustomSection(section) => {
                if let wasmparser::KnownCustom::Name(reader) = section.as_known() {
                    for name in reader.into_iter().flatten() {
                        if let Name::Function(map) = name {
                            for naming in map.into_iter().flatten() {
                                names.insert(naming.index, rustc_demangle::demangle(naming.name).to_string());
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let mut owners: HashMap<String, usize> = HashMap::new();
    for (position, size) in sizes.iter().enumerate() {
        let name = names.get(&(imported + position as u32)).map_or("(unnamed)", String::as_str);
        *owners.entry(owner(name)).or_default() += size;
    }
    (sizes.iter().sum(), owners)
}

/// Who a function's code belongs to: an app function by its component or function
/// (`app::routes::orders::__component_order_head::{{closure}}::h…` → `app::routes::orders::order_head`),
/// anything else by its crate: the type's crate for `<Type as Trait>::…`, the trait's when the
/// type is a generic parameter (`<T as tachys::…>` → `tachys`).
fn owner(name: &str) -> String {
    if let Some(rest) = name.strip_prefix("app::") {
        let path: Vec<&str> = rest.split("::").take_while(|part| !part.starts_with("{{") && !is_hash(part)).collect();
        return format!("app::{}", path.join("::").replace("__component_", ""));
    }
    let path = match name.strip_prefix('<') {
        Some(qualified) => {
            let (self_type, trait_path) = qualified.split_once(" as ").unwrap_or((qualified, ""));
            let self_type = self_type.trim_start_matches("&mut ").trim_start_matches('&').trim_start_matches('(');
            let generic = self_type.len() == 1 && self_type.chars().all(|c| c.is_ascii_uppercase());
            if generic {
                trait_path
            } else {
                self_type
            }
        }
        None => name,
    };
    let crate_name: String = path.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
    if crate_name.is_empty() {
        "(other)".into()
    } else {
        crate_name
    }
}

/// The hash rustc ends a symbol with: `h` and 16 hex digits.
fn is_hash(part: &str) -> bool {
    part.len() == 17 && part.starts_with('h') && part[1..].chars().all(|c| c.is_ascii_hexdigit())
}
