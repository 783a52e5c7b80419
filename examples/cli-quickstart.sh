#!/usr/bin/env bash
# The Sume quick start (seed 001), every command as the seed writes it, against $SUME_BASE_URL with $SUME_API_KEY.
# The seed's curl lines use the production URL; here $SUME_BASE_URL (the local sandbox in the test suite). The job
# id the seed calls job_123 is the one step 3 creates; --json output goes through `python -m json.tool`, which
# fails on anything that is not exactly one JSON document.
set -euo pipefail
: "${SUME_API_KEY:?set SUME_API_KEY}"
SUME_BASE_URL="${SUME_BASE_URL:-https://www.sume.so/api/v1}"
export SUME_API_KEY SUME_BASE_URL
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"

# 1. Authenticate
curl -sSf "$SUME_BASE_URL/me" \
-H "Authorization: Bearer $SUME_API_KEY" | python -m json.tool > /dev/null

# 2. Check credits
curl -sSf "$SUME_BASE_URL/credits" \
-H "Authorization: Bearer $SUME_API_KEY" | python -m json.tool
sume credits

# 3. Create an image job
curl -sSf "$SUME_BASE_URL/images/generations" \
-H "Authorization: Bearer $SUME_API_KEY" \
-H "Content-Type: application/json" \
-d '{
"prompt": "Clean skincare product photo on a white bathroom counter.",
"aspect_ratio": "1:1",
"image_count": 1
}' | python -m json.tool
sume images generate \
--prompt "Clean skincare product photo on a white bathroom counter." \
--aspect-ratio 1:1 \
--wait \
--json | python -m json.tool > image.json
job_123="$(python -c 'import json; print(json.load(open("image.json"))["job"]["id"])')"

# 4. Poll status
curl -sSf "$SUME_BASE_URL/jobs/$job_123" \
-H "Authorization: Bearer $SUME_API_KEY" | python -m json.tool
sume jobs get $job_123 --json | python -m json.tool

# 5. Fetch result
curl -sSf "$SUME_BASE_URL/jobs/$job_123/result" \
-H "Authorization: Bearer $SUME_API_KEY" | python -m json.tool > /dev/null
sume jobs result $job_123 --json | python -m json.tool
sume jobs result $job_123 --download ./outputs/
ls ./outputs/

# 6. Search Asset Library
curl -sSf "$SUME_BASE_URL/assets?q=product%20demo%20hook&source_type=generated&limit=5" \
-H "Authorization: Bearer $SUME_API_KEY" | python -m json.tool > /dev/null
sume assets search "product demo hook" \
--source-type generated \
--limit 5 \
--json | python -m json.tool
