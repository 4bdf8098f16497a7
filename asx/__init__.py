"""asx — after-sales toolkit."""
