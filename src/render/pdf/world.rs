//! The Typst `World` sitegen compiles in: three virtual sources (main,
//! template, body), the caller's files (images), the fonts embedded in the
//! binary, and a fixed "today". Nothing is read from disk or the network.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// Virtual path of the generated main file.
pub const MAIN_PATH: &str = "main.typ";
/// Virtual path of the document template (templates/pdf.typ).
pub const TEMPLATE_PATH: &str = "template.typ";
/// Virtual path of the rendered article body.
pub const BODY_PATH: &str = "body.typ";

/// The embedded fonts, parsed once per process.
struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

/// Parsing the fonts takes a noticeable moment, so every document shares them.
static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    let book = LazyHash::new(FontBook::from_fonts(&fonts));
    Fonts { book, fonts }
});

/// Typst's standard library, built once per process.
static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

/// Loads the fonts and the standard library now rather than on the first compile.
pub fn preload() {
    LazyLock::force(&FONTS);
    LazyLock::force(&LIBRARY);
}

/// The file id of a virtual path in the project root, if the path is valid.
pub fn file_id(path: &str) -> Option<FileId> {
    let vpath = VirtualPath::new(path).ok()?;
    Some(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

/// One document's world: its sources, its files and its date.
pub struct SiteWorld {
    main: Source,
    template: Source,
    body: Source,
    files: HashMap<FileId, Bytes>,
    today: Datetime,
}

impl SiteWorld {
    /// A world whose main file is `main`, importing `template` and including `body`.
    pub fn new(
        main: String,
        template: String,
        body: String,
        files: &BTreeMap<String, Vec<u8>>,
        today: Datetime,
    ) -> Option<Self> {
        let files = files
            .iter()
            .filter_map(|(path, data)| Some((file_id(path)?, Bytes::new(data.clone()))))
            .collect();
        Some(SiteWorld {
            main: Source::new(file_id(MAIN_PATH)?, main),
            template: Source::new(file_id(TEMPLATE_PATH)?, template),
            body: Source::new(file_id(BODY_PATH)?, body),
            files,
            today,
        })
    }

    /// The three generated sources.
    fn sources(&self) -> [&Source; 3] {
        [&self.main, &self.template, &self.body]
    }

    /// The id of the body source, for mapping diagnostics back.
    pub fn body_id(&self) -> FileId {
        self.body.id()
    }

    /// The id of the template source, for naming it in diagnostics.
    pub fn template_id(&self) -> FileId {
        self.template.id()
    }
}

impl World for SiteWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        match self.sources().into_iter().find(|s| s.id() == id) {
            Some(source) => Ok(source.clone()),
            None if self.files.contains_key(&id) => Err(FileError::NotSource),
            None => Err(not_found(id)),
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(source) = self.sources().into_iter().find(|s| s.id() == id) {
            return Ok(Bytes::from_string(source.text().to_string()));
        }
        self.files.get(&id).cloned().ok_or_else(|| not_found(id))
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        // The article's date, not the clock: the same inputs give the same PDF.
        Some(self.today)
    }
}

/// The error for a file that is not in this world.
fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().get_without_slash().into())
}
