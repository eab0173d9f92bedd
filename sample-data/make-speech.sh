#!/bin/sh
# Speaks the 10 Fashion-MNIST class names in 8 espeak-ng voices, as 16 kHz mono 16-bit PCM WAV:
#   fashion/speech/<class>/<voice>.wav
# Needs: apt-get update && apt-get install -y espeak-ng sox
# Deterministic: espeak-ng has no randomness, sox runs with dither off (-D), and the
# silence espeak-ng leaves around a word is trimmed to a fixed 0.1 s pad on each side.
# Usage: sample-data/make-speech.sh [OUT_DIR]   (default: fashion/speech beside this script)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-"$here/fashion/speech"}
for tool in espeak-ng sox; do
    command -v "$tool" >/dev/null || { echo "make-speech.sh: $tool not found (apt-get install -y espeak-ng sox)" >&2; exit 1; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# class|words as spoken
classes='t-shirt|T-shirt
trouser|trouser
pullover|pullover
dress|dress
coat|coat
sandal|sandal
shirt|shirt
sneaker|sneaker
bag|bag
ankle-boot|ankle boot'

# name|espeak-ng voice+variant|pitch (0-99)|speed (words per minute)
# Accents, synthesiser variants (male, female, klatt), pitch and speed all differ.
voices='us-m1|en-us+m1|40|150
gb-f2|en-gb+f2|60|140
rp-m3|en-gb-x-rp+m3|35|130
us-f4|en-us+f4|70|170
scot-m7|en-gb-scotland+m7|45|155
carib-f3|en-029+f3|55|145
us-klatt|en-us+klatt|50|160
gb-m5|en-gb+m5|30|120'

echo "$classes" | while IFS='|' read -r class words; do
    mkdir -p "$out/$class"
    echo "$voices" | while IFS='|' read -r name voice pitch speed; do
        espeak-ng -v "$voice" -p "$pitch" -s "$speed" -w "$tmp/raw.wav" "$words"
        sox -D "$tmp/raw.wav" -r 16000 -c 1 -b 16 -e signed-integer "$out/$class/$name.wav" \
            silence 1 0.01 -50d reverse silence 1 0.01 -50d reverse pad 0.1 0.1
    done
done
echo "make-speech.sh: wrote $(find "$out" -name '*.wav' | wc -l) files to $out" >&2
