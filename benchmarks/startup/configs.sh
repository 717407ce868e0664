# Shared by compare.sh and first-response.sh (sourced): the "label 'jvm options' ..." arguments, and medians.

# Fills the arrays labels and opts from pairs of arguments: label 'jvm options' [label 'jvm options' ...].
read_configs() {
  labels=()
  opts=()
  while (($# >= 2)); do
    labels+=("$1")
    opts+=("$2")
    shift 2
  done
}

# The median of one space-separated column of a file: median FILE COLUMN.
median() { cut -d' ' -f"$2" "$1" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
