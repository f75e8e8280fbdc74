//! Yanzhen server shell (library part): router, assets, storage.
