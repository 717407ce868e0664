package dev.shelf.corpus;

import dev.shelf.Pooled;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Strings, collections and arrays with initialisers, plus fields the constructor never assigns. */
@Pooled
public class References {
    String name = "fresh";
    String unset;
    List<String> list = new ArrayList<>(32);
    Map<String, Integer> map = new HashMap<>();
    Set<Long> set = new HashSet<>();
    LinkedHashMap<String, String> linked = new LinkedHashMap<>();
    ArrayDeque<Object> deque = new ArrayDeque<>();
    StringBuilder text = new StringBuilder("hello");
    byte[] buffer = new byte[16 * 1024];
    int[] counts = {1, 2, 3};
    Object[] slots = new Object[4];
    Object nothing;
    final List<String> finalList = new ArrayList<>();
    final int finalInt = 17;
}
