# dns-rfc2136: not written yet
