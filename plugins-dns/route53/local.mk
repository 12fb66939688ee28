# dns-route53: not written yet
