//! Facts about an image's filesystem: compact per-layer records (what one streaming pass over
//! a layer saw) and the merged view of the final filesystem, built by applying the layers in
//! order with OCI whiteout semantics. Records are small and keyed by layer, so they can be
//! cached and shared between images that share layers.

use std::collections::BTreeMap;

/// The kind of a tar entry, as the kernel will see it after extraction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum EntryKind {
    /// A regular file.
    File,
    /// A directory.
    Dir,
    /// A symbolic link.
    Symlink,
    /// A hard link to another path (shares its inode, so its mode and owner).
    Hardlink,
    /// Character or block device, FIFO.
    Special,
}

/// One path in a layer or in the merged view.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Entry {
    /// Absolute, normalised path (`/usr/bin/passwd`).
    pub path: String,
    /// Entry type.
    pub kind: EntryKind,
    /// Permission and special bits (`0o4755`).
    pub mode: u32,
    /// Owner uid.
    pub uid: u64,
    /// Owner gid.
    pub gid: u64,
    /// Size in bytes (0 for non-files).
    pub size: u64,
    /// Symlink or hardlink target, as written.
    pub link: Option<String>,
    /// Raw `security.capability` xattr, if present.
    pub capability: Option<Vec<u8>>,
    /// Index of the layer that introduced this version of the path.
    pub layer: usize,
}

/// A small file whose content rules need (`/etc/passwd`, candidate secrets).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Captured {
    /// The first bytes of the file, up to the capture cap.
    pub content: Vec<u8>,
    /// True when the file was larger than the cap.
    pub truncated: bool,
}

/// What one pass over a layer found.
#[derive(Debug, Clone, Default)]
pub struct LayerFacts {
    /// Layer index in the manifest (0 = base).
    pub index: usize,
    /// Blob digest (`sha256:…`), verified while streaming.
    pub digest: String,
    /// Bytes of the blob as stored (compressed).
    pub compressed_size: u64,
    /// Bytes of the tar stream after decompression.
    pub uncompressed_size: u64,
    /// Digest of the tar stream after decompression (`sha256:…`): what the config's
    /// `rootfs.diff_ids` must list, as the runtime checks.
    pub diff_id: String,
    /// Compression seen (`gzip`, `zstd`, `none`).
    pub compression: &'static str,
    /// Entries in tar order, whiteout markers excluded.
    pub entries: Vec<Entry>,
    /// Paths deleted by `.wh.NAME` markers.
    pub whiteouts: Vec<String>,
    /// Directories made opaque by `.wh..wh..opq`.
    pub opaque_dirs: Vec<String>,
    /// Captured file contents by path.
    pub captured: BTreeMap<String, Captured>,
    /// Problems that did not stop the walk (hostile paths, duplicate entries).
    pub warnings: Vec<String>,
    /// Secrets found in this layer's files (masked), in tar order.
    pub secrets: Vec<SecretAt>,
}

/// A secret in a file of one layer, as the layer wrote it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct SecretAt {
    /// The path as the entry names it.
    pub path: String,
    /// What was found (masked).
    pub hit: crate::secrets::Hit,
}

/// The final filesystem: every path that survives all layers, with the layer that put it there.
#[derive(Debug, Clone, Default)]
pub struct FsView {
    entries: BTreeMap<String, Entry>,
    captured: BTreeMap<String, (Captured, usize)>,
    /// Per layer index: bytes of files that later layers delete or overwrite.
    pub wasted: Vec<u64>,
    /// (path, size, layer) of each file version that a later layer removed or replaced.
    pub wasted_files: Vec<(String, u64, usize)>,
    /// Symlinks inserted so far: while there are none, paths need no resolving.
    symlinks: usize,
}

/// What reading a file of the final filesystem gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileContent<'a> {
    /// No such file.
    Missing,
    /// The whole content, from the file at `path` (symlinks followed) of `layer`.
    Known {
        /// The real path read.
        path: String,
        /// Its bytes.
        content: &'a [u8],
        /// The layer that wrote it.
        layer: usize,
    },
    /// A file whose content the walk did not keep (the scan engine fetches it again).
    Uncaptured {
        /// The real path.
        path: String,
        /// The layer that wrote it.
        layer: usize,
    },
    /// Not readable as a whole: a symlink loop, a directory or device, or a file larger than
    /// the capture limit. Rules must not judge what it holds.
    Unreadable(String),
}

impl FsView {
    /// Merges layers in order: opaque directories and whiteouts of a layer hide lower layers'
    /// paths, then the layer's own entries replace any earlier version.
    ///
    /// Paths are placed where the runtime puts them: containerd resolves an entry's parent
    /// directories through symlinks already on disk (kept inside the root), so after
    /// `etc -> /tmp/x` an entry `etc/passwd` lands at `/tmp/x/passwd`. The final component
    /// is not followed: an entry replaces a symlink of its own name.
    #[must_use]
    pub fn merge(layers: &[LayerFacts]) -> FsView {
        let mut v = FsView {
            wasted: vec![0; layers.len()],
            ..FsView::default()
        };
        for layer in layers {
            for dir in &layer.opaque_dirs {
                let dir = v.placed(dir);
                v.remove_children(&dir);
            }
            for path in &layer.whiteouts {
                let path = v.placed(path);
                v.remove(&path);
                v.remove_children(&path);
            }
            // Hardlink targets inside this layer, by path: one lookup per link, not a scan.
            let mut by_path: std::collections::HashMap<&str, usize> =
                std::collections::HashMap::new();
            for (i, e) in layer.entries.iter().enumerate() {
                by_path.insert(e.path.as_str(), i);
            }
            for e in &layer.entries {
                let mut e = e.clone();
                let placed = v.placed(&e.path);
                // A later version without captured content must not inherit an older one's.
                match layer.captured.get(&e.path) {
                    Some(c) => {
                        v.captured.insert(placed.clone(), (c.clone(), layer.index));
                    }
                    None => {
                        v.captured.remove(&placed);
                    }
                }
                e.path = placed;
                if e.kind == EntryKind::Hardlink {
                    // A hardlink is a second name for its target's inode: same mode and owner.
                    if let Some(t) = e.link.as_deref().map(normalize_target) {
                        let placed_target = v.placed(&t);
                        let target = v
                            .entries
                            .get(&placed_target)
                            .or_else(|| by_path.get(t.as_str()).map(|&i| &layer.entries[i]));
                        if let Some(target) = target {
                            e.mode = target.mode;
                            e.uid = target.uid;
                            e.gid = target.gid;
                            e.capability.clone_from(&target.capability);
                        }
                    }
                }
                if e.kind != EntryKind::Dir {
                    // A file replacing a directory hides what was below it.
                    if v.entries
                        .get(&e.path)
                        .is_some_and(|old| old.kind == EntryKind::Dir)
                    {
                        v.remove_children(&e.path);
                    }
                }
                if e.kind == EntryKind::Symlink {
                    v.symlinks += 1;
                }
                if let Some(old) = v.entries.insert(e.path.clone(), e) {
                    v.note_waste(&old);
                }
            }
        }
        // Captured content only counts if its path survived as the file captured.
        let entries = &v.entries;
        v.captured
            .retain(|p, _| entries.get(p).is_some_and(|e| e.kind == EntryKind::File));
        v
    }

    /// Where the runtime writes an entry named `path`: its parent directories resolved
    /// through symlinks in the view so far, its last component as it is.
    fn placed(&self, path: &str) -> String {
        if self.symlinks == 0 {
            return path.to_string();
        }
        self.real_path(path, false)
            .unwrap_or_else(|| path.to_string())
    }

    /// Resolves `path` component by component as the kernel does inside a chroot: symlinks
    /// (relative to their directory, or absolute from the image root) are followed, `..`
    /// stops at the root, and the last component is followed only with `follow_last`.
    /// `None` for a symlink loop (more than 40 links, Linux's limit).
    #[must_use]
    pub fn real_path(&self, path: &str, follow_last: bool) -> Option<String> {
        let mut todo: std::collections::VecDeque<String> =
            path.split('/').map(str::to_string).collect();
        let mut cur: Vec<String> = Vec::new();
        let mut links = 0;
        while let Some(c) = todo.pop_front() {
            match c.as_str() {
                "" | "." => continue,
                ".." => {
                    cur.pop();
                    continue;
                }
                _ => {}
            }
            let last = todo.iter().all(|t| t.is_empty() || t == ".");
            let candidate = format!("/{}", {
                let mut p = cur.join("/");
                if !p.is_empty() {
                    p.push('/');
                }
                p.push_str(&c);
                p
            });
            match self.entries.get(&candidate) {
                Some(e) if e.kind == EntryKind::Symlink && (!last || follow_last) => {
                    links += 1;
                    if links > 40 {
                        return None;
                    }
                    let target = e.link.as_deref().unwrap_or("");
                    if target.starts_with('/') {
                        cur.clear();
                    }
                    for t in target.split('/').rev() {
                        todo.push_front(t.to_string());
                    }
                }
                _ => cur.push(c),
            }
        }
        Some(format!("/{}", cur.join("/")))
    }

    /// Adds content fetched after the merge for the surviving file at `path`.
    pub fn add_captured(&mut self, path: &str, content: Captured, layer: usize) {
        if self
            .entries
            .get(path)
            .is_some_and(|e| e.kind == EntryKind::File)
        {
            self.captured.insert(path.to_string(), (content, layer));
        }
    }

    /// What a process in the container reads at `path` (symlinks followed).
    #[must_use]
    pub fn read(&self, path: &str) -> FileContent<'_> {
        let Some(real) = self.real_path(path, true) else {
            return FileContent::Unreadable(path.to_string());
        };
        match self.entries.get(&real) {
            None => FileContent::Missing,
            Some(e) if e.kind != EntryKind::File => FileContent::Unreadable(real),
            Some(e) => match self.captured.get(&real) {
                Some((c, _)) if c.truncated => FileContent::Unreadable(real),
                Some((c, l)) => FileContent::Known {
                    path: real.clone(),
                    content: &c.content,
                    layer: *l,
                },
                None => FileContent::Uncaptured {
                    path: real,
                    layer: e.layer,
                },
            },
        }
    }

    fn note_waste(&mut self, old: &Entry) {
        if old.kind == EntryKind::File && old.size > 0 {
            if let Some(w) = self.wasted.get_mut(old.layer) {
                *w += old.size;
            }
            self.wasted_files
                .push((old.path.clone(), old.size, old.layer));
        }
    }

    fn remove(&mut self, path: &str) {
        if let Some(old) = self.entries.remove(path) {
            self.note_waste(&old);
        }
    }

    fn remove_children(&mut self, dir: &str) {
        let prefix = if dir == "/" {
            "/".to_string()
        } else {
            format!("{dir}/")
        };
        let doomed: Vec<String> = self
            .entries
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .map(|(k, _)| k.clone())
            .collect();
        for k in doomed {
            self.remove(&k);
        }
    }

    /// Every surviving entry, sorted by path.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries.values()
    }

    /// The entry at `path`, if it survived.
    #[must_use]
    pub fn get(&self, path: &str) -> Option<&Entry> {
        self.entries.get(path)
    }

    /// Number of surviving paths.
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True for an empty filesystem (`FROM scratch` with nothing added).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Captured content of a surviving path, and the layer it came from.
    #[must_use]
    pub fn captured(&self, path: &str) -> Option<(&Captured, usize)> {
        self.captured.get(path).map(|(c, l)| (c, *l))
    }

    /// Every captured file that survived.
    pub fn captured_files(&self) -> impl Iterator<Item = (&String, &Captured, usize)> {
        self.captured.iter().map(|(p, (c, l))| (p, c, *l))
    }

    /// Follows symlinks (relative or absolute, resolved inside the image root, in every
    /// component) up to Linux's limit; `None` for a dangling link or a loop.
    #[must_use]
    pub fn resolve(&self, path: &str) -> Option<&Entry> {
        self.entries.get(&self.real_path(path, true)?)
    }
}

/// Hardlink targets are stored like entry names, relative to the root.
fn normalize_target(t: &str) -> String {
    normalize_path(t).unwrap_or_else(|| format!("/{t}"))
}

/// Normalises a tar entry name to an absolute path: `./a//b/` becomes `/a/b`. Returns `None`
/// when `..` would climb above the root (a hostile entry).
#[must_use]
pub fn normalize_path(name: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for comp in name.split('/') {
        match comp {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            c => parts.push(c),
        }
    }
    Some(format!("/{}", parts.join("/")))
}

/// Normalises like [`normalize_path`] but stops `..` at the root, as a chroot (and
/// containerd's `fs.RootPath`) does: `../../etc/x` is `/etc/x`.
#[must_use]
pub fn clamp_path(name: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for comp in name.split('/') {
        match comp {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    format!("/{}", parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, size: u64, layer: usize) -> Entry {
        Entry {
            path: path.into(),
            kind: EntryKind::File,
            mode: 0o644,
            uid: 0,
            gid: 0,
            size,
            link: None,
            capability: None,
            layer,
        }
    }

    fn layer(index: usize, entries: Vec<Entry>) -> LayerFacts {
        LayerFacts {
            index,
            entries,
            ..LayerFacts::default()
        }
    }

    #[test]
    fn paths() {
        assert_eq!(normalize_path("./usr//bin/").as_deref(), Some("/usr/bin"));
        assert_eq!(normalize_path("a/../b").as_deref(), Some("/b"));
        assert_eq!(normalize_path("../etc/passwd"), None);
        assert_eq!(normalize_path("/").as_deref(), Some("/"));
    }

    #[test]
    fn whiteouts_opaque_dirs_and_replacement() {
        let l0 = layer(
            0,
            vec![
                file("/app/a", 10, 0),
                file("/app/b", 20, 0),
                file("/cache/x", 5, 0),
                file("/cache/sub/y", 7, 0),
            ],
        );
        let mut l1 = layer(1, vec![file("/app/a", 11, 1), file("/cache/new", 1, 1)]);
        l1.whiteouts.push("/app/b".into());
        l1.opaque_dirs.push("/cache".into());
        let v = FsView::merge(&[l0, l1]);
        let paths: Vec<&str> = v.entries().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["/app/a", "/cache/new"]);
        assert_eq!(v.get("/app/a").unwrap().layer, 1);
        assert_eq!(v.wasted, [10 + 20 + 5 + 7, 0]);
    }

    #[test]
    fn hardlinks_share_their_target_mode() {
        let mut passwd = file("/usr/bin/passwd", 100, 0);
        passwd.mode = 0o4755;
        let mut link = file("/usr/bin/passwd2", 0, 0);
        link.kind = EntryKind::Hardlink;
        link.mode = 0o644;
        link.link = Some("usr/bin/passwd".into());
        let v = FsView::merge(&[layer(0, vec![passwd, link])]);
        assert_eq!(v.get("/usr/bin/passwd2").unwrap().mode, 0o4755);
    }

    #[test]
    fn symlink_resolution_and_loops() {
        let mut a = file("/bin", 0, 0);
        a.kind = EntryKind::Symlink;
        a.link = Some("usr/bin".into());
        let sh = file("/usr/bin/sh", 1, 0);
        let mut l1 = file("/loop1", 0, 0);
        l1.kind = EntryKind::Symlink;
        l1.link = Some("/loop2".into());
        let mut l2 = l1.clone();
        l2.path = "/loop2".into();
        l2.link = Some("loop1".into());
        let v = FsView::merge(&[layer(0, vec![a, sh, l1, l2])]);
        assert_eq!(
            v.resolve("/bin").map(|e| e.path.as_str()),
            None,
            "a dir symlink resolves to a missing dir entry"
        );
        assert!(v.resolve("/loop1").is_none());
        assert_eq!(v.resolve("/usr/bin/sh").unwrap().size, 1);
    }
}
