//! PDF readers (to come).
