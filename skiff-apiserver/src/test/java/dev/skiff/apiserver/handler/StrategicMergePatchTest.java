package dev.skiff.apiserver.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.status.ApiException;
import org.junit.jupiter.api.Test;

class StrategicMergePatchTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) JSON.readTree(text.replace('\'', '"'));
    }

    @Test
    void mergesContainersEnvAndPortsByKeyAsKubectlApplyExpects() throws Exception {
        ObjectNode live = json("""
            {'kind':'Deployment','spec':{'replicas':2,'template':{'spec':{'containers':[
              {'name':'web','image':'nginx:1','ports':[{'containerPort':80,'name':'http'}],
               'env':[{'name':'A','value':'1'},{'name':'B','value':'2'}]},
              {'name':'side','image':'busybox'}]}}}}""");
        ObjectNode patch = json("""
            {'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'web'}],'containers':[
              {'name':'web','image':'nginx:2','$setElementOrder/env':[{'name':'A'},{'name':'C'}],
               'env':[{'name':'C','value':'3'},{'$patch':'delete','name':'B'}]},
              {'$patch':'delete','name':'side'}]}}}}""");

        ObjectNode result = StrategicMergePatch.apply(live, patch, "Deployment");

        JsonNode containers = result.path("spec").path("template").path("spec").path("containers");
        assertThat(containers).hasSize(1);
        JsonNode web = containers.get(0);
        assertThat(web.path("image").asText()).isEqualTo("nginx:2");
        assertThat(web.path("ports").get(0).path("name").asText()).isEqualTo("http");
        assertThat(web.path("env")).extracting(e -> e.path("name").asText()).containsExactly("A", "C");
        assertThat(web.has("$setElementOrder/env")).isFalse();
        assertThat(result.path("spec").path("replicas").asInt()).isEqualTo(2);
    }

    @Test
    void servicePortsMergeByPortAndContainerPortsByContainerPort() throws Exception {
        ObjectNode service = json("{'spec':{'ports':[{'port':80,'targetPort':8080},{'port':443}]}}");
        ObjectNode result = StrategicMergePatch.apply(service,
                json("{'spec':{'ports':[{'port':80,'targetPort':9090}]}}"), "Service");

        assertThat(result.path("spec").path("ports")).hasSize(2);
        assertThat(result.path("spec").path("ports").get(0).path("targetPort").asInt()).isEqualTo(9090);
    }

    @Test
    void directivesReplaceDeleteRetainAndPrune() throws Exception {
        ObjectNode live = json("""
            {'metadata':{'finalizers':['a','b'],'labels':{'x':'1','y':'2'}},
             'spec':{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}},
                     'args':['--a','--b'],'selector':{'matchLabels':{'app':'x'}}}}""");
        ObjectNode patch = json("""
            {'metadata':{'finalizers':['c'],'$deleteFromPrimitiveList/finalizers':['a'],'labels':{'y':null}},
             'spec':{'strategy':{'$retainKeys':['type'],'type':'Recreate'},'args':['--c'],
                     'selector':{'$patch':'replace','matchLabels':{'app':'y'}}}}""");

        ObjectNode result = StrategicMergePatch.apply(live, patch, "Deployment");

        assertThat(result.path("metadata").path("finalizers")).extracting(JsonNode::asText).containsExactly("b", "c");
        assertThat(result.path("metadata").path("labels").has("y")).isFalse();
        assertThat(result.path("spec").path("strategy").has("rollingUpdate")).isFalse();
        assertThat(result.path("spec").path("strategy").path("type").asText()).isEqualTo("Recreate");
        assertThat(result.path("spec").path("args")).extracting(JsonNode::asText).containsExactly("--c");
        assertThat(result.path("spec").path("selector").path("matchLabels").path("app").asText()).isEqualTo("y");
        assertThat(result.path("spec").path("selector").has("$patch")).isFalse();
    }

    @Test
    void aKeyedElementWithoutItsKeyIsABadRequest() throws Exception {
        ObjectNode live = json("{'spec':{'containers':[{'name':'a'}]}}");
        assertThatThrownBy(() -> StrategicMergePatch.apply(live, json("{'spec':{'containers':[{'image':'x'}]}}"),
                "Pod")).isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(400));
    }
}
