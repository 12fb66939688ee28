# dns-cloudflare: not written yet
