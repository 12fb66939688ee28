# dns-digitalocean: not written yet
